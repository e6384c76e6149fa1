namespace Qtz.Firmware.Elf;

/// <summary>e_ident[EI_CLASS]: the word size of the ELF file.</summary>
public enum ElfClass : byte
{
    Elf32 = 1,
    Elf64 = 2,
}

/// <summary>The p_type values these images use.</summary>
public static class ProgramHeaderType
{
    public const uint Null = 0;
    public const uint Load = 1;
    public const uint GnuStack = 0x6474e551;
}

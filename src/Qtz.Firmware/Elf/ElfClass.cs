namespace Qtz.Firmware.Elf;

/// <summary>e_ident[EI_CLASS]: the word size of the ELF file.</summary>
public enum ElfClass : byte
{
    Elf32 = 1,
    Elf64 = 2,
}

/// <summary>The p_type values of the ELF specification and the GNU extensions, with their readelf names.</summary>
public static class ProgramHeaderType
{
    public const uint Null = 0;
    public const uint Load = 1;
    public const uint Dynamic = 2;
    public const uint Interp = 3;
    public const uint Note = 4;
    public const uint Shlib = 5;
    public const uint Phdr = 6;
    public const uint Tls = 7;
    public const uint GnuEhFrame = 0x6474e550;
    public const uint GnuStack = 0x6474e551;
    public const uint GnuRelro = 0x6474e552;
    public const uint GnuProperty = 0x6474e553;
    private const uint LoOs = 0x60000000;
    private const uint LoProc = 0x70000000;
    private const uint HiProc = 0x7fffffff;

    /// <summary>NULL, LOAD, NOTE, DYNAMIC, GNU_STACK, …; other values by range (LOOS+0x…, LOPROC+0x…) or in hex.</summary>
    public static string Name(uint type) => type switch
    {
        Null => "NULL",
        Load => "LOAD",
        Dynamic => "DYNAMIC",
        Interp => "INTERP",
        Note => "NOTE",
        Shlib => "SHLIB",
        Phdr => "PHDR",
        Tls => "TLS",
        GnuEhFrame => "GNU_EH_FRAME",
        GnuStack => "GNU_STACK",
        GnuRelro => "GNU_RELRO",
        GnuProperty => "GNU_PROPERTY",
        >= LoProc and <= HiProc => $"LOPROC+0x{type - LoProc:X}",
        >= LoOs and < LoProc => $"LOOS+0x{type - LoOs:X}",
        _ => $"0x{type:X}",
    };
}

using Qtz.Firmware.Elf;

namespace Qtz.Firmware.Mdt;

/// <summary>
/// The rules of Linux's drivers/soc/qcom/mdt_loader.c (spec scm-pas.md §6, firmware-formats.md §1.5), as
/// pure functions over parsed headers, for the kernel-side loader and for tools.
/// </summary>
public static class MdtRules
{
    public const ulong PageSize = 4096;

    /// <summary>mdt_phdr_loadable: PT_LOAD, not the hash segment, and p_memsz != 0.</summary>
    public static bool IsLoadable(ProgramHeader phdr) =>
        phdr.Type == ProgramHeaderType.Load && !phdr.Qcom.IsHash && phdr.MemorySize != 0;

    /// <summary>
    /// Split when any phdr with file bytes has p_offset or p_offset + p_filesz beyond the file (the
    /// decision is taken once for the whole image).
    /// </summary>
    public static bool IsSplit(ElfFile elf, long fileSize)
    {
        ArgumentNullException.ThrowIfNull(elf);
        return elf.ProgramHeaders.Any(p => p.FileSize != 0 && p.FileEnd > (ulong)fileSize);
    }

    /// <summary>
    /// mdt_header_valid (2025): size ≥ ELF header, magic, e_phentsize exact, phdr table inside the file,
    /// and — only when e_shentsize or e_shnum is non-zero — a section table of 40-byte (ELF64: 64-byte)
    /// entries inside the file. Throws <see cref="FirmwareFormatException"/> naming the failed rule.
    /// </summary>
    public static ElfHeader CheckHeader(ReadOnlySpan<byte> head, long fileSize)
    {
        var header = ElfHeader.Parse(head);
        FirmwareThrow.RequireRange(header.PhOff, (ulong)header.PhNum * header.PhEntSize, (ulong)fileSize, "program-header table");
        if (header.ShEntSize != 0 || header.ShNum != 0)
        {
            var expected = header.Class == ElfClass.Elf32 ? ElfHeader.Elf32ShEntSize : ElfHeader.Elf64ShEntSize;
            if (header.ShEntSize != expected)
                FirmwareThrow.Format($"ELF e_shentsize is {header.ShEntSize}; expected 0 or {expected}");
            FirmwareThrow.RequireRange(header.ShOff, (ulong)header.ShNum * header.ShEntSize, (ulong)fileSize, "section-header table");
        }

        return header;
    }

    /// <summary>qcom_mdt_get_size: ALIGN_UP(max end, 4 KiB) − min p_paddr over the loadable segments.</summary>
    public static ulong GetSize(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        var (min, max) = LoadableSpan(elf);
        return max - min;
    }

    /// <summary>Any loadable segment carries QCOM_MDT_RELOCATABLE (BIT(27)).</summary>
    public static bool IsRelocatable(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        return elf.ProgramHeaders.Any(p => IsLoadable(p) && p.Qcom.IsRelocatable);
    }

    /// <summary>(min p_paddr, max ALIGN_UP(p_paddr + p_memsz, 4 KiB)) over the loadable segments.</summary>
    public static (ulong Min, ulong Max) LoadableSpan(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        ulong min = ulong.MaxValue, max = 0;
        foreach (var p in elf.ProgramHeaders.Where(IsLoadable))
        {
            if (p.PhysicalAddress > ulong.MaxValue - p.MemorySize - PageSize)
                FirmwareThrow.Format($"segment at p_paddr 0x{p.PhysicalAddress:X} with p_memsz 0x{p.MemorySize:X} overflows the address space");
            min = Math.Min(min, p.PhysicalAddress);
            max = Math.Max(max, AlignUp(p.PhysicalAddress + p.MemorySize));
        }

        if (min == ulong.MaxValue)
            FirmwareThrow.Format("the image has no loadable segment (PT_LOAD, not HASH, p_memsz != 0)");
        return (min, max);
    }

    public static ulong AlignUp(ulong value) => (value + PageSize - 1) & ~(PageSize - 1);
}

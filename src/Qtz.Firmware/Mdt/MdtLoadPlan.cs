using Qtz.Firmware.Elf;

namespace Qtz.Firmware.Mdt;

/// <summary>One segment to copy: file bytes to <see cref="CarveoutOffset"/>, then zero-fill to p_memsz.</summary>
public readonly record struct SegmentLoad(int Index, ulong PhysicalAddress, ulong CarveoutOffset, ulong FileSize, ulong MemorySize)
{
    public ulong ZeroFillSize => MemorySize - FileSize;
}

/// <summary>
/// Where __qcom_mdt_load puts every loadable segment of an image in a carveout: relocation base, the
/// MEM_SETUP size for relocatable images, and per-segment bounds checked exactly as Linux checks them.
/// </summary>
public sealed record MdtLoadPlan(
    bool Relocatable,
    ulong RelocationBase,
    ulong CarveoutPhysical,
    ulong CarveoutSize,
    ulong MemSetupSize,
    IReadOnlyList<SegmentLoad> Segments)
{
    /// <summary>Builds the plan or throws <see cref="FirmwareFormatException"/> naming the segment that does not fit.</summary>
    public static MdtLoadPlan Create(ElfFile elf, ulong carveoutPhysical, ulong carveoutSize)
    {
        ArgumentNullException.ThrowIfNull(elf);
        if (carveoutPhysical == 0 || carveoutSize == 0)
            throw new ArgumentException("the carveout needs a non-zero physical address and size (Linux rejects mem_phys 0 or mem_size 0)");
        var relocatable = MdtRules.IsRelocatable(elf);
        var (min, max) = MdtRules.LoadableSpan(elf);
        var relocBase = relocatable ? min : carveoutPhysical;
        var loads = new List<SegmentLoad>();
        for (var i = 0; i < elf.ProgramHeaders.Count; i++)
        {
            var p = elf.ProgramHeaders[i];
            if (!MdtRules.IsLoadable(p))
                continue;
            if (p.PhysicalAddress < relocBase)
                FirmwareThrow.Format($"segment {i} at p_paddr 0x{p.PhysicalAddress:X} lies below the load base 0x{relocBase:X}: segment outside memory range");
            var offset = p.PhysicalAddress - relocBase;
            if (offset > carveoutSize || p.MemorySize > carveoutSize - offset)
                FirmwareThrow.Format($"segment {i} [0x{p.PhysicalAddress:X}, +0x{p.MemorySize:X}) does not fit the 0x{carveoutSize:X}-byte carveout at offset 0x{offset:X}: segment outside memory range");
            if (p.FileSize > p.MemorySize)
                FirmwareThrow.Format($"segment {i} has p_filesz 0x{p.FileSize:X} > p_memsz 0x{p.MemorySize:X}");
            loads.Add(new SegmentLoad(i, p.PhysicalAddress, offset, p.FileSize, p.MemorySize));
        }

        return new MdtLoadPlan(relocatable, relocBase, carveoutPhysical, carveoutSize, relocatable ? max - min : 0, loads);
    }
}

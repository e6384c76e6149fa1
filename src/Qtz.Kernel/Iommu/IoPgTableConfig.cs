using Qtz.Soc;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Iommu;

/// <summary>
/// io_pgtable_cfg for ARM_64_LPAE_S1 with a 4 KiB granule: address sizes, supported page sizes and
/// whether the walker is coherent, and the TCR/MAIR values that follow from them (spec/iommu.md §A1).
/// </summary>
public sealed record IoPgTableConfig
{
    public const ulong Size4K = 1UL << 12;
    public const ulong Size2M = 1UL << 21;
    public const ulong Size1G = 1UL << 30;

    /// <summary>The 4 KiB-granule row of the page-size table: 4K | 2M | 1G.</summary>
    public const ulong Granule4KBitmap = Size4K | Size2M | Size1G;

    /// <summary>MAIR0: Normal-NC, Normal-WB-RWA, Device-nGnRE, inner-NC/outer-WB at indices 0..3.</summary>
    public const uint Mair0 = 0x44 | 0xFF << 8 | 0x04 << 16 | 0xF4u << 24;

    public IoPgTableConfig(int inputAddressBits, int outputAddressBits, ulong pageSizeBitmap = Granule4KBitmap, bool coherentWalk = true)
    {
        if (inputAddressBits is < 32 or > 48)
            throw new ArgumentOutOfRangeException(nameof(inputAddressBits), $"IAS {inputAddressBits}: a 4 KiB-granule stage-1 table takes 32..48 bits");
        if (outputAddressBits is < 32 or > 48)
            throw new ArgumentOutOfRangeException(nameof(outputAddressBits), $"OAS {outputAddressBits}: expected 32..48 bits");
        var bitmap = pageSizeBitmap & Granule4KBitmap;
        if ((bitmap & Size4K) == 0)
            throw new ArgumentException($"page sizes 0x{pageSizeBitmap:x} do not include the 4 KiB granule", nameof(pageSizeBitmap));
        InputAddressBits = inputAddressBits;
        OutputAddressBits = outputAddressBits;
        PageSizeBitmap = bitmap;
        CoherentWalk = coherentWalk;
    }

    public int InputAddressBits { get; }

    public int OutputAddressBits { get; }

    /// <summary>After restriction to the granule's row (what the domain advertises).</summary>
    public ulong PageSizeBitmap { get; }

    public bool CoherentWalk { get; }

    /// <summary>Levels are numbered 0..3; a 48-bit table starts at 0, a 32..39-bit one at 1.</summary>
    public int StartLevel => 4 - (InputAddressBits - 12 + 8) / 9;

    /// <summary>TCR: T0SZ, walk attributes (IS + WBWA when coherent, else OS + NC), TG0 = 4K, EPD1.</summary>
    public uint Tcr
    {
        get
        {
            uint sh = CoherentWalk ? 3u : 2u, rgn = CoherentWalk ? 1u : 0u;
            return (uint)(64 - InputAddressBits) | rgn << SmmuRegisters.TcrIrgn0Shift | rgn << SmmuRegisters.TcrOrgn0Shift
                   | sh << SmmuRegisters.TcrSh0Shift | SmmuRegisters.TcrEpd1;
        }
    }

    /// <summary>The IPS/PASIZE encoding of the output size.</summary>
    public uint Ips => SmmuRegisters.EncodeAddressBits(OutputAddressBits is 32 or 36 or 40 or 42 or 44 or 48 ? OutputAddressBits : 48);
}

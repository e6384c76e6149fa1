using Qtz.Secure.ShmBridges;

namespace Qtz.Shell.Reports;

/// <summary>What a physical range is, as the memory map draws it (one lane per kind).</summary>
public enum RegionKind
{
    Ram,
    Reserved,
    Carveout,
    ShmBridge,
    Protection,
}

/// <summary>One named physical range of the board: a RAM bank, a /reserved-memory node, a DSP carveout, a bridge, an XPU region.</summary>
public sealed record MemoryRegion(RegionKind Kind, string Name, ulong Base, ulong Size)
{
    /// <summary>Owner, permissions, VMIDs, "no-map" …</summary>
    public string? Detail { get; init; }

    /// <summary>Last byte inside (inclusive: a region may end at 2^64).</summary>
    public ulong Last => Size == 0 ? Base : Base + (Size - 1);

    /// <summary>One past the end, exact even at the top of the address space.</summary>
    public UInt128 End => (UInt128)Base + Size;

    public static string KindName(RegionKind kind) => kind switch
    {
        RegionKind.Ram => "ram",
        RegionKind.Reserved => "reserved",
        RegionKind.Carveout => "carveout",
        RegionKind.ShmBridge => "shm-bridge",
        RegionKind.Protection => "protection",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

using System.Numerics;

namespace Qtz.Kernel.Mtd;

/// <summary>
/// struct mtd_info: one MTD device, a master registered by a driver or a partition of one
/// (spec/mtd.md §1.1). A partition shares its master's hooks; the core adds the partition offset.
/// </summary>
public sealed class MtdInfo
{
    public required string Name { get; set; }

    public MtdType Type { get; set; } = MtdType.NorFlash;

    public MtdFlags Flags { get; set; }

    public ulong Size { get; set; }

    public uint EraseSize { get; set; }

    public uint WriteSize { get; set; }

    public uint WriteBufSize { get; set; }

    public uint OobSize { get; set; }

    public uint OobAvail { get; set; }

    public int SubpageShift { get; set; }

    public uint EccStrength { get; set; }

    public uint EccStepSize { get; set; }

    public uint BitflipThreshold { get; set; }

    public MtdEccStats EccStats { get; set; }

    public IReadOnlyList<MtdEraseRegion> EraseRegions { get; set; } = [];

    public MtdOperations Operations { get; set; } = new();

    /// <summary>mtdN's N once registered; −1 before.</summary>
    public int Index { get; internal set; } = -1;

    public int EraseSizeShift { get; internal set; }

    public uint EraseSizeMask { get; internal set; }

    public int WriteSizeShift { get; internal set; }

    public uint WriteSizeMask { get; internal set; }

    /// <summary>The device this partition was cut from; null for a master.</summary>
    public MtdInfo? Parent { get; internal set; }

    /// <summary>Offset inside <see cref="Parent"/> (sysfs <c>offset</c>); 0 for a master.</summary>
    public ulong PartitionOffset { get; internal set; }

    public bool IsPartition => Parent is not null;

    /// <summary>The device whose hooks do the work.</summary>
    public MtdInfo Master => Parent?.Master ?? this;

    /// <summary>mtd_get_master_ofs: the offsets of every level added up.</summary>
    public ulong MasterOffset => Parent is null ? 0 : Parent.MasterOffset + PartitionOffset;

    public bool IsWriteable => (Flags & MtdFlags.Writeable) != 0;

    public ulong EraseBlockCount => EraseSize == 0 ? 0 : Size / EraseSize;

    /// <summary>sysfs subpagesize.</summary>
    public uint SubpageSize => WriteSize >> SubpageShift;

    internal void ComputeShifts()
    {
        EraseSizeShift = BitOperations.IsPow2(EraseSize) ? BitOperations.Log2(EraseSize) : 0;
        EraseSizeMask = (1u << EraseSizeShift) - 1;
        WriteSizeShift = BitOperations.IsPow2(WriteSize) ? BitOperations.Log2(WriteSize) : 0;
        WriteSizeMask = (1u << WriteSizeShift) - 1;
    }

    public override string ToString() => $"mtd{Index}: {Size:x8} {EraseSize:x8} \"{Name}\"";
}

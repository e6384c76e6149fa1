namespace Qtz.Kernel.Mtd.Partitions;

/// <summary>
/// struct mtd_partition: one entry of a partition table, before it is resolved against the parent.
/// Offsets may be the MTDPART_OFS_* markers; a size of <see cref="SizeFull"/> means "to the end".
/// </summary>
public sealed record MtdPartition(string Name, ulong Size, ulong Offset, MtdFlags MaskFlags = MtdFlags.None, MtdFlags AddFlags = MtdFlags.None)
{
    /// <summary>MTDPART_OFS_APPEND (−1): where the previous partition ended.</summary>
    public const ulong OffsetAppend = unchecked((ulong)-1L);

    /// <summary>MTDPART_OFS_NXTBLK (−2): the previous end rounded up to the next erase (or write) block.</summary>
    public const ulong OffsetNextBlock = unchecked((ulong)-2L);

    /// <summary>MTDPART_OFS_RETAIN (−3): start at the previous end and leave <see cref="Size"/> bytes after the partition.</summary>
    public const ulong OffsetRetain = unchecked((ulong)-3L);

    /// <summary>MTDPART_SIZ_FULL (0).</summary>
    public const ulong SizeFull = 0;
}

/// <summary>A partition parser (cmdlinepart, ofpart): &gt; 0 partitions found, 0 none, or −errno.</summary>
public interface IMtdPartitionParser
{
    string Name { get; }

    int Parse(MtdInfo master, out IReadOnlyList<MtdPartition> partitions);
}

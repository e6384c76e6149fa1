namespace Qtz.Kernel.Mtd.Partitions;

/// <summary>
/// add_mtd_partitions / allocate_partition (drivers/mtd/mtdpart.c): resolves each entry against the
/// running end of the previous one and registers it, following spec/mtd.md §1.9 rules 1–9 in order.
/// </summary>
public static class MtdPartitions
{
    public static int AddAll(MtdRegistry registry, MtdInfo parent, IReadOnlyList<MtdPartition> table, List<MtdInfo> registered)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(registered);
        registry.Print($"Creating {table.Count} MTD partitions on \"{parent.Name}\":");
        ulong curOffset = 0;
        for (var i = 0; i < table.Count; i++)
        {
            var child = Allocate(registry, parent, table[i], i, curOffset);
            var ret = registry.Add(child);
            if (ret < 0)
            {
                foreach (var done in registered.Where(d => d.IsPartition)) registry.Remove(done);
                return ret;
            }

            registered.Add(child);
            curOffset = child.PartitionOffset + child.Size;
        }

        return 0;
    }

    /// <summary>allocate_partition: a child mtd_info for one table entry.</summary>
    public static MtdInfo Allocate(MtdRegistry registry, MtdInfo parent, MtdPartition part, int partNo, ulong curOffset)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(part);
        var parentSize = parent.Size;
        var child = new MtdInfo
        {
            Name = part.Name,
            Type = parent.Type,
            Flags = (parent.Flags & ~part.MaskFlags) | part.AddFlags,
            WriteSize = parent.WriteSize,
            WriteBufSize = parent.WriteBufSize,
            OobSize = parent.OobSize,
            OobAvail = parent.OobAvail,
            SubpageShift = parent.SubpageShift,
            EccStrength = parent.EccStrength,
            EccStepSize = parent.EccStepSize,
            BitflipThreshold = parent.BitflipThreshold,
            Parent = parent,
        };
        var writeAlignment = (parent.Flags & MtdFlags.NoErase) != 0 ? parent.WriteSize : parent.EraseSize;
        var offset = part.Offset;
        var size = part.Size;
        if (offset == MtdPartition.OffsetAppend) offset = curOffset;
        else if (offset == MtdPartition.OffsetNextBlock)
        {
            offset = curOffset;
            var remainder = writeAlignment == 0 ? 0 : curOffset % writeAlignment;
            if (remainder != 0)
            {
                offset += writeAlignment - remainder;
                registry.Print($"Moving partition {partNo}: 0x{curOffset:x12} -> 0x{offset:x12}");
            }
        }
        else if (offset == MtdPartition.OffsetRetain)
        {
            offset = curOffset;
            if (parentSize >= offset && parentSize - offset >= size) size = parentSize - offset - size;
            else
            {
                registry.Print($"mtd partition \"{part.Name}\" doesn't have enough space: 0x{(parentSize > offset ? parentSize - offset : 0):x} < 0x{size:x}, disabled");
                return Disabled(child, parent, offset);
            }
        }

        if (size == MtdPartition.SizeFull) size = offset < parentSize ? parentSize - offset : 0;
        registry.Print($"0x{offset:x12}-0x{offset + size:x12} : \"{part.Name}\"");
        if (offset >= parentSize)
        {
            registry.Print($"mtd: partition \"{part.Name}\" is out of reach -- disabled");
            return Disabled(child, parent, 0);
        }

        if (size > parentSize - offset)
        {
            size = parentSize - offset;
            registry.Print($"mtd: partition \"{part.Name}\" extends beyond the end of device \"{parent.Name}\" -- size truncated to 0x{size:x}");
        }

        child.PartitionOffset = offset;
        child.Size = size;
        child.EraseSize = LargestEraseSize(parent, child.MasterOffset, size);
        if ((child.Flags & MtdFlags.NoErase) == 0) writeAlignment = child.EraseSize;
        if (writeAlignment != 0 && child.IsWriteable && child.MasterOffset % writeAlignment != 0)
        {
            child.Flags &= ~MtdFlags.Writeable;
            registry.Print($"mtd: partition \"{part.Name}\" doesn't start on an erase/write block boundary -- force read-only");
        }

        if (writeAlignment != 0 && child.IsWriteable && (child.MasterOffset + size) % writeAlignment != 0)
        {
            child.Flags &= ~MtdFlags.Writeable;
            registry.Print($"mtd: partition \"{part.Name}\" doesn't end on an erase/write block boundary -- force read-only");
        }

        return child;
    }

    // Registered anyway, with size 0, to keep the numbering stable.
    private static MtdInfo Disabled(MtdInfo child, MtdInfo parent, ulong offset)
    {
        child.PartitionOffset = offset;
        child.Size = 0;
        child.EraseSize = parent.EraseSize;
        return child;
    }

    // With variable erase regions the partition's erasesize is the largest region size it covers.
    private static uint LargestEraseSize(MtdInfo parent, ulong masterOffset, ulong size)
    {
        var master = parent.Master;
        if (master.EraseRegions.Count == 0) return parent.EraseSize;
        uint largest = 0;
        foreach (var region in master.EraseRegions)
        {
            var regionEnd = region.Offset + (ulong)region.EraseSize * region.NumBlocks;
            if (region.Offset < masterOffset + size && regionEnd > masterOffset) largest = Math.Max(largest, region.EraseSize);
        }

        return largest == 0 ? parent.EraseSize : largest;
    }
}

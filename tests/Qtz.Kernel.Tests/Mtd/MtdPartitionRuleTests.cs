using Qtz.Kernel.Mtd;
using Xunit;
using Qtz.Kernel.Mtd.Partitions;

namespace Qtz.Kernel.Tests.Mtd;

/// <summary>spec/mtd.md §1.9: allocate_partition's rules and the partition parsers.</summary>
public sealed class MtdPartitionRuleTests
{
    private static (MtdRegistry Registry, List<MtdInfo> Parts, FakeNorDriver Fake) Add(params MtdPartition[] table)
    {
        var registry = new MtdRegistry();
        var fake = new FakeNorDriver(size: 1 << 20, eraseSize: 65536);
        var parts = new List<MtdInfo>();
        Assert.Equal(0, MtdPartitions.AddAll(registry, fake.Mtd, table, parts));
        return (registry, parts, fake);
    }

    [Fact]
    public void A_child_inherits_the_parents_fields_and_its_flags_are_masked_and_added()
    {
        var (_, parts, _) = Add(new MtdPartition("a", 65536, 0, MtdFlags.Writeable, MtdFlags.NoErase));
        var a = parts[0];
        Assert.Equal((MtdType.NorFlash, 1u, 256u), (a.Type, a.WriteSize, a.WriteBufSize));
        Assert.Equal(MtdFlags.BitWriteable | MtdFlags.NoErase, a.Flags);
    }

    [Fact]
    public void Append_starts_where_the_previous_partition_ended()
    {
        var (_, parts, _) = Add(new MtdPartition("a", 65536, 0), new MtdPartition("b", 65536, MtdPartition.OffsetAppend));
        Assert.Equal(65536UL, parts[1].PartitionOffset);
    }

    [Fact]
    public void Nxtblk_rounds_up_to_the_next_eraseblock_and_logs_the_move()
    {
        var (registry, parts, _) = Add(new MtdPartition("a", 1000, 0), new MtdPartition("b", 65536, MtdPartition.OffsetNextBlock));
        Assert.Equal(65536UL, parts[1].PartitionOffset);
        Assert.Contains("Moving partition 1: 0x0000000003e8 -> 0x000000010000", registry.Log);
    }

    [Fact]
    public void Retain_leaves_size_bytes_after_the_partition()
    {
        var (_, parts, _) = Add(new MtdPartition("a", 65536, 0), new MtdPartition("b", 131072, MtdPartition.OffsetRetain));
        Assert.Equal((65536UL, (1UL << 20) - 65536 - 131072), (parts[1].PartitionOffset, parts[1].Size));
    }

    [Fact]
    public void Retain_without_room_is_disabled_but_registered()
    {
        var (registry, parts, _) = Add(new MtdPartition("a", 65536, 0), new MtdPartition("b", 2 << 20, MtdPartition.OffsetRetain));
        Assert.Equal(0UL, parts[1].Size);
        Assert.Contains(registry.Log, l => l.Contains("doesn't have enough space", StringComparison.Ordinal));
    }

    [Fact]
    public void Size_full_runs_to_the_end_and_the_range_is_logged()
    {
        var (registry, parts, _) = Add(new MtdPartition("all", MtdPartition.SizeFull, 65536));
        Assert.Equal((1UL << 20) - 65536, parts[0].Size);
        Assert.Contains("0x000000010000-0x000000100000 : \"all\"", registry.Log);
    }

    [Fact]
    public void An_offset_past_the_end_is_registered_with_size_0()
    {
        var (registry, parts, _) = Add(new MtdPartition("far", 65536, 2 << 20));
        Assert.Equal((0UL, 0UL, 65536u), (parts[0].Size, parts[0].PartitionOffset, parts[0].EraseSize));
        Assert.Contains("mtd: partition \"far\" is out of reach -- disabled", registry.Log);
        Assert.Equal(0, parts[0].Index);
    }

    [Fact]
    public void A_partition_past_the_end_is_truncated()
    {
        var (registry, parts, _) = Add(new MtdPartition("big", 2 << 20, 65536));
        Assert.Equal((1UL << 20) - 65536, parts[0].Size);
        Assert.Contains(registry.Log, l => l.Contains("extends beyond the end of device \"fake\" -- size truncated to 0xf0000", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(4096UL, 65536UL, "start")]
    [InlineData(0UL, 4096UL, "end")]
    public void A_misaligned_partition_is_forced_read_only(ulong offset, ulong size, string edge)
    {
        var (registry, parts, _) = Add(new MtdPartition("odd", size, offset));
        Assert.False(parts[0].IsWriteable);
        Assert.Contains($"mtd: partition \"odd\" doesn't {edge} on an erase/write block boundary -- force read-only", registry.Log);
        Assert.Equal(-MtdErrno.EROFS, MtdCore.Write(parts[0], 0, new byte[1], out _));
    }

    [Fact]
    public void The_core_adds_the_partition_offset_and_translates_fail_addr_back()
    {
        var (_, parts, fake) = Add(new MtdPartition("a", 65536, 0), new MtdPartition("b", 131072, 131072));
        Assert.Equal(0, MtdCore.Write(parts[1], 5, [0x12], out _));
        Assert.Equal(0x12, fake.Bytes[131072 + 5]);
        Assert.Equal(-MtdErrno.EINVAL, MtdCore.Read(parts[1], 131072, new byte[1], out _));
    }

    [Fact]
    public void Partitions_are_numbered_in_table_order()
    {
        var (_, parts, _) = Add(new MtdPartition("a", 65536, 0), new MtdPartition("b", 65536, MtdPartition.OffsetAppend));
        Assert.Equal([0, 1], parts.Select(p => p.Index));
    }

    [Fact]
    public void Without_partitioned_master_only_the_partitions_are_registered()
    {
        var registry = new MtdRegistry();
        var fake = new FakeNorDriver(size: 1 << 20, eraseSize: 65536);
        Assert.Equal(0, registry.ParseRegister(fake.Mtd, [new CmdlinePartParser(registry, "fake:512k(a),-(b)")], null, out var registered));
        Assert.Equal(["a", "b"], registered.Select(d => d.Name));
        Assert.Equal(-1, fake.Mtd.Index);
    }

    [Fact]
    public void With_partitioned_master_the_master_comes_first()
    {
        var registry = new MtdRegistry { PartitionedMaster = true };
        var fake = new FakeNorDriver(size: 1 << 20, eraseSize: 65536);
        registry.ParseRegister(fake.Mtd, [new CmdlinePartParser(registry, "fake:512k(a),-(b)")], null, out var registered);
        Assert.Equal(["fake", "a", "b"], registered.Select(d => d.Name));
    }

    [Fact]
    public void The_fallback_table_is_used_only_when_no_parser_finds_partitions()
    {
        var registry = new MtdRegistry();
        var fake = new FakeNorDriver(size: 1 << 20, eraseSize: 65536);
        registry.ParseRegister(fake.Mtd, [new CmdlinePartParser(registry, "other:512k(a)")], [new MtdPartition("fb", 65536, 0)], out var registered);
        Assert.Equal(["fb"], registered.Select(d => d.Name));
    }
}

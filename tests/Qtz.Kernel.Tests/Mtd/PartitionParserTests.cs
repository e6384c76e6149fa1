using Qtz.Kernel.Mtd;
using Xunit;
using Qtz.Kernel.Mtd.Partitions;

namespace Qtz.Kernel.Tests.Mtd;

public sealed class PartitionParserTests
{
    private static IReadOnlyList<MtdPartition> Parse(string mtdparts, ulong size = 1 << 20)
    {
        var registry = new MtdRegistry();
        var fake = new FakeNorDriver(size: size, eraseSize: 4096);
        Assert.True(new CmdlinePartParser(registry, mtdparts).Parse(fake.Mtd, out var parts) >= 0);
        return parts;
    }

    [Fact]
    public void Mtdparts_sizes_offsets_names_and_flags_are_parsed()
    {
        var parts = Parse("mtdparts=fake:64k(boot)ro,0x10000@128K(env)lk,-(rest)");
        Assert.Equal(("boot", 65536UL, 0UL, MtdFlags.Writeable), (parts[0].Name, parts[0].Size, parts[0].Offset, parts[0].MaskFlags));
        Assert.Equal(("env", 65536UL, 131072UL, MtdFlags.PowerupLock), (parts[1].Name, parts[1].Size, parts[1].Offset, parts[1].MaskFlags));
        Assert.Equal(("rest", (1UL << 20) - 196608, 196608UL), (parts[2].Name, parts[2].Size, parts[2].Offset));
    }

    [Fact]
    public void Unnamed_partitions_are_numbered()
    {
        Assert.Equal(["Partition_000", "Partition_001"], Parse("fake:4k,4k").Select(p => p.Name));
    }

    [Fact]
    public void Partitions_past_the_end_are_truncated_and_empty_ones_skipped()
    {
        var parts = Parse("fake:768k(a),512k(b),4k(c)");
        Assert.Equal([("a", 786432UL), ("b", 262144UL)], parts.Select(p => (p.Name, p.Size)));
    }

    [Fact]
    public void The_mtd_id_is_everything_before_the_last_colon_before_the_name()
    {
        var parts = Parse("spi0.0:cs0:4k(x:y);fake:8k(z)");
        Assert.Equal("z", Assert.Single(parts).Name);
        Assert.Equal("spi0.0:cs0", MtdPartsSyntax.Parse("spi0.0:cs0:4k(x:y)")[0].MtdId);
    }

    [Theory]
    [InlineData("fake:0(a)", "partition has size 0")]
    [InlineData("fake:-(a),4k(b)", "no partitions allowed after a fill-up partition")]
    [InlineData("fake:4k(a", "no closing ) found in partition name")]
    [InlineData("fake:4k(a)x", "bad character after partition (x)")]
    [InlineData("4k(a)", "no mtd-id")]
    public void Malformed_mtdparts_are_rejected_with_the_reason_and_place(string text, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => MtdPartsSyntax.Parse(text));
        Assert.Contains(reason, error.Message);
        Assert.Contains("at character", error.Message);
        var registry = new MtdRegistry();
        Assert.Equal(-MtdErrno.EINVAL, new CmdlinePartParser(registry, text).Parse(new FakeNorDriver().Mtd, out _));
    }

    [Fact]
    public void Memparse_takes_C_bases_and_binary_suffixes()
    {
        foreach (var (text, value) in new[] { ("4096", 4096UL), ("0x1000", 4096UL), ("010", 8UL), ("4k", 4096UL), ("1M", 1UL << 20), ("2G", 2UL << 30) })
        {
            var p = 0;
            Assert.Equal(value, MtdPartsSyntax.MemParse(text, ref p));
        }
    }

    [Fact]
    public void Fixed_partitions_read_reg_label_and_read_only()
    {
        var node = new FixedPartitionsNode("/flash/partitions", ["fixed-partitions"], 1, 1,
        [
            new("/flash/partitions/boot@0", "boot@0", new byte[] { 0, 0, 0, 0, 0, 1, 0, 0 }, Label: "xbl", ReadOnly: true),
            new("/flash/partitions/data@10000", "data@10000", new byte[] { 0, 1, 0, 0, 0, 2, 0, 0 }, Lock: true),
        ]);
        var registry = new MtdRegistry();
        Assert.Equal(2, new FixedPartitionsParser(registry, node).Parse(new FakeNorDriver(1 << 20).Mtd, out var parts));
        Assert.Equal(new MtdPartition("xbl", 65536, 0, MtdFlags.Writeable), parts[0]);
        Assert.Equal(new MtdPartition("data", 131072, 65536, MtdFlags.PowerupLock), parts[1]);
    }

    [Fact]
    public void Fixed_partitions_with_two_cells_reach_past_4_GiB()
    {
        var reg = new byte[16];
        reg[3] = 1; // offset 0x1_0000_0000
        reg[14] = 1; // size 0x100
        var node = new FixedPartitionsNode("/p", ["fixed-partitions"], 2, 2, [new("/p/high@100000000", "high@100000000", reg)]);
        new FixedPartitionsParser(new MtdRegistry(), node).Parse(new FakeNorDriver().Mtd, out var parts);
        Assert.Equal((1UL << 32, 256UL), (parts[0].Offset, parts[0].Size));
    }

    [Fact]
    public void A_reg_of_the_wrong_length_fails_the_whole_table()
    {
        var node = new FixedPartitionsNode("/p", ["fixed-partitions"], 1, 1, [new("/p/a@0", "a@0", new byte[4])]);
        var registry = new MtdRegistry();
        Assert.Equal(-MtdErrno.EINVAL, new FixedPartitionsParser(registry, node).Parse(new FakeNorDriver().Mtd, out _));
        Assert.Contains("ofpart partition /p/a@0 (/p) error parsing reg property.", registry.Log);
    }
}

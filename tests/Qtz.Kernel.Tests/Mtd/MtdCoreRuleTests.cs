using Qtz.Kernel.Mtd;
using Xunit;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Tests.Mtd;

/// <summary>spec/mtd.md §1.4 (mtd_read / mtd_write) and §1.5 (mtd_erase), one row per rule.</summary>
public sealed class MtdCoreRuleTests
{
    public static TheoryData<long, int, int> ReadBounds => new()
    {
        { -1, 1, -EINVAL },
        { 0, 65537, -EINVAL },
        { 65536, 1, -EINVAL },
        { 65535, 1, 0 },
        { 65536, 0, 0 },
        { long.MaxValue, 1, -EINVAL },
    };

    [Theory]
    [MemberData(nameof(ReadBounds))]
    public void Read_rejects_from_below_zero_or_from_plus_len_past_the_size_with_EINVAL(long from, int len, int expected)
    {
        var fake = new FakeNorDriver();
        Assert.Equal(expected, MtdCore.Read(fake.Mtd, from, new byte[len], out var retlen));
        if (expected != 0) Assert.Equal(0UL, retlen);
    }

    [Fact]
    public void Read_of_zero_bytes_still_calls_the_driver()
    {
        var fake = new FakeNorDriver();
        Assert.Equal(0, MtdCore.Read(fake.Mtd, 10, [], out _));
        Assert.Equal(["read 10 0"], fake.Calls);
    }

    [Fact]
    public void Read_does_not_check_alignment()
    {
        var fake = new FakeNorDriver();
        fake.Mtd.WriteSize = 4096;
        Assert.Equal(0, MtdCore.Read(fake.Mtd, 3, new byte[5], out var retlen));
        Assert.Equal(5UL, retlen);
    }

    [Fact]
    public void Read_without_read_hooks_is_EOPNOTSUPP()
    {
        var fake = new FakeNorDriver();
        fake.Mtd.Operations = new MtdOperations();
        Assert.Equal(-EOPNOTSUPP, MtdCore.Read(fake.Mtd, 0, new byte[1], out _));
    }

    [Fact]
    public void Positive_bitflips_are_ignored_without_ECC()
    {
        var fake = new FakeNorDriver { ReadResult = 3 };
        Assert.Equal(0, MtdCore.Read(fake.Mtd, 0, new byte[4], out _));
    }

    [Theory]
    [InlineData(3u, 2u, -EUCLEAN)]
    [InlineData(1u, 2u, 0)]
    public void With_ECC_bitflips_at_or_above_the_threshold_are_EUCLEAN(uint flips, uint threshold, int expected)
    {
        var fake = new FakeNorDriver { ReadResult = (int)flips };
        fake.Mtd.EccStrength = 4;
        fake.Mtd.BitflipThreshold = threshold;
        Assert.Equal(expected, MtdCore.Read(fake.Mtd, 0, new byte[4], out _));
    }

    [Fact]
    public void A_negative_driver_return_passes_through_unchanged()
    {
        var fake = new FakeNorDriver { ReadResult = -EBADMSG };
        Assert.Equal(-EBADMSG, MtdCore.Read(fake.Mtd, 0, new byte[4], out _));
    }

    [Fact]
    public void Write_to_a_read_only_device_is_EROFS_before_the_bounds_check()
    {
        var fake = new FakeNorDriver(flags: MtdFlags.None);
        Assert.Equal(-EROFS, MtdCore.Write(fake.Mtd, -5, new byte[1], out var retlen));
        Assert.Equal(0UL, retlen);
        Assert.Empty(fake.Calls);
    }

    [Theory]
    [InlineData(-1L, 1)]
    [InlineData(65536L, 1)]
    [InlineData(1L, 65536)]
    public void Write_out_of_bounds_is_EINVAL(long to, int len)
    {
        var fake = new FakeNorDriver();
        Assert.Equal(-EINVAL, MtdCore.Write(fake.Mtd, to, new byte[len], out _));
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void Write_of_zero_bytes_and_unaligned_writes_reach_the_driver()
    {
        var fake = new FakeNorDriver();
        fake.Mtd.WriteSize = 4096;
        Assert.Equal(0, MtdCore.Write(fake.Mtd, 7, [], out _));
        Assert.Equal(0, MtdCore.Write(fake.Mtd, 7, new byte[3], out var retlen));
        Assert.Equal(3UL, retlen);
        Assert.Equal(["write 7 0", "write 7 3"], fake.Calls);
    }

    [Fact]
    public void Write_without_a_write_hook_is_EOPNOTSUPP()
    {
        var fake = new FakeNorDriver();
        fake.Mtd.Operations = new MtdOperations { Read = fake.Mtd.Operations.Read, Erase = fake.Mtd.Operations.Erase };
        Assert.Equal(-EOPNOTSUPP, MtdCore.Write(fake.Mtd, 0, new byte[1], out _));
    }

    [Fact]
    public void Erase_without_an_erase_hook_or_erasesize_is_ENOTSUPP_first()
    {
        var fake = new FakeNorDriver(flags: MtdFlags.None);
        fake.Mtd.EraseSize = 0;
        var instr = new EraseInfo(1UL << 40, 1);
        Assert.Equal(-ENOTSUPP, MtdCore.Erase(fake.Mtd, instr));
        Assert.Equal(EraseInfo.FailAddrUnknown, instr.FailAddr);
    }

    [Theory]
    [InlineData(65536UL, 0UL)]
    [InlineData(0UL, 65537UL)]
    [InlineData(4096UL, 65536UL)]
    public void Erase_with_addr_past_the_size_or_len_past_the_rest_is_EINVAL_before_EROFS(ulong addr, ulong len)
    {
        var fake = new FakeNorDriver(flags: MtdFlags.None);
        Assert.Equal(-EINVAL, MtdCore.Erase(fake.Mtd, new EraseInfo(addr, len)));
    }

    [Fact]
    public void Erase_on_a_read_only_device_is_EROFS()
    {
        var fake = new FakeNorDriver(flags: MtdFlags.None);
        Assert.Equal(-EROFS, MtdCore.Erase(fake.Mtd, new EraseInfo(0, 4096)));
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void Erase_of_zero_bytes_is_0_without_calling_the_driver()
    {
        var fake = new FakeNorDriver();
        Assert.Equal(0, MtdCore.Erase(fake.Mtd, new EraseInfo(4096, 0)));
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void The_core_does_not_check_erase_alignment_the_driver_does()
    {
        var fake = new FakeNorDriver();
        Assert.Equal(-EINVAL, MtdCore.Erase(fake.Mtd, new EraseInfo(100, 4096)));
        Assert.Equal(["erase 100 4096"], fake.Calls);
    }
}

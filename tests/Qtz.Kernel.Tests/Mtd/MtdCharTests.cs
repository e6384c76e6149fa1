using System.Buffers.Binary;
using Qtz.Kernel.Mtd;
using Xunit;
using Qtz.Kernel.Mtd.Char;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Tests.Mtd;

/// <summary>spec/mtd.md §1.10: /dev/mtdN.</summary>
public sealed class MtdCharTests
{
    private static MtdCharFile Open(FakeNorDriver fake, bool write = true)
    {
        Assert.Equal(0, MtdCharFile.Open(fake.Mtd, write, out var file));
        return file!;
    }

    [Fact]
    public void Opening_for_write_is_EACCES_on_the_ro_minor_and_on_read_only_devices()
    {
        Assert.Equal(-EACCES, MtdCharFile.Open(new FakeNorDriver().Mtd, true, out _, readOnlyMinor: true));
        Assert.Equal(-EACCES, MtdCharFile.Open(new FakeNorDriver(flags: MtdFlags.None).Mtd, true, out _));
        var absent = new FakeNorDriver();
        absent.Mtd.Type = MtdType.Absent;
        Assert.Equal(-ENODEV, MtdCharFile.Open(absent.Mtd, false, out _));
    }

    [Fact]
    public void Read_clamps_at_the_end_and_returns_0_at_eof()
    {
        var file = Open(new FakeNorDriver());
        Assert.Equal(65530, file.Seek(65530, SeekOrigin.Begin));
        Assert.Equal(6, file.Read(new byte[100]));
        Assert.Equal(0, file.Read(new byte[100]));
    }

    [Fact]
    public void Write_at_the_end_is_ENOSPC_and_is_clamped_before_it()
    {
        var file = Open(new FakeNorDriver());
        file.Seek(0, SeekOrigin.End);
        Assert.Equal(-ENOSPC, file.Write(new byte[1]));
        file.Seek(-2, SeekOrigin.End);
        Assert.Equal(2, file.Write(new byte[10]));
    }

    [Fact]
    public void Seeking_outside_the_device_is_EINVAL()
    {
        var file = Open(new FakeNorDriver());
        Assert.Equal(-EINVAL, file.Seek(-1, SeekOrigin.Begin));
        Assert.Equal(-EINVAL, file.Seek(1, SeekOrigin.End));
        Assert.Equal(65536, file.Seek(0, SeekOrigin.End));
    }

    [Fact]
    public void Memgetinfo_fills_the_32_byte_struct_with_the_size_truncated_to_32_bits()
    {
        var fake = new FakeNorDriver();
        fake.Mtd.Size = (4UL << 30) + 65536;
        var arg = new byte[32];
        arg.AsSpan().Fill(0xEE);
        Assert.Equal(0, Open(fake).Ioctl(MtdIoctl.MEMGETINFO, arg));
        var info = MtdInfoUser.Parse(arg);
        Assert.Equal((MtdType.NorFlash, 0xC00u, 65536u, 4096u, 1u, 0u), (info.Type, info.Flags, info.Size, info.EraseSize, info.WriteSize, info.OobSize));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(arg.AsSpan(24)));
    }

    [Theory]
    [InlineData(MtdIoctl.MEMERASE)]
    [InlineData(MtdIoctl.MEMERASE64)]
    [InlineData(MtdIoctl.MEMLOCK)]
    [InlineData(MtdIoctl.MEMUNLOCK)]
    [InlineData(MtdIoctl.MEMSETBADBLOCK)]
    [InlineData(MtdIoctl.MEMWRITEOOB)]
    [InlineData(MtdIoctl.MEMWRITEOOB64)]
    [InlineData(MtdIoctl.MEMWRITE)]
    [InlineData(MtdIoctl.OTPLOCK)]
    [InlineData(MtdIoctl.OTPERASE)]
    public void Dangerous_ioctls_on_a_read_only_descriptor_are_EPERM(uint cmd) =>
        Assert.Equal(-EPERM, Open(new FakeNorDriver(), write: false).Ioctl(cmd, new byte[64]));

    [Fact]
    public void Unknown_ioctls_are_ENOTTY() => Assert.Equal(-ENOTTY, Open(new FakeNorDriver()).Ioctl(0x12345678, new byte[64]));

    [Fact]
    public void Memerase_erases_through_the_core()
    {
        var fake = new FakeNorDriver();
        fake.Bytes[4096] = 0;
        var arg = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(4), 4096);
        Assert.Equal(0, Open(fake).Ioctl(MtdIoctl.MEMERASE, arg));
        Assert.Equal(0xFF, fake.Bytes[4096]);
    }

    public static TheoryData<uint, ulong, int> NorAnswers => new()
    {
        { MtdIoctl.MEMGETREGIONINFO, 0, -EINVAL },
        { MtdIoctl.MEMGETBADBLOCK, 0, 0 },
        { MtdIoctl.MEMSETBADBLOCK, 0, -EOPNOTSUPP },
        { MtdIoctl.MEMLOCK, 0, -EOPNOTSUPP },
        { MtdIoctl.MEMUNLOCK, 0, -EOPNOTSUPP },
        { MtdIoctl.MEMISLOCKED, 0, -EOPNOTSUPP },
        { MtdIoctl.MEMREADOOB, 0, -EOPNOTSUPP },
        { MtdIoctl.MEMWRITEOOB, 0, -EOPNOTSUPP },
        { MtdIoctl.MEMREAD, 0, -EOPNOTSUPP },
        { MtdIoctl.MEMWRITE, 0, -EOPNOTSUPP },
        { MtdIoctl.ECCGETLAYOUT, 0, -EOPNOTSUPP },
        { MtdIoctl.MEMGETOOBSEL, 0, -EOPNOTSUPP },
        { MtdIoctl.MTDFILEMODE, 3, -EOPNOTSUPP },
        { MtdIoctl.ECCGETSTATS, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(NorAnswers))]
    public void A_nor_without_oob_lock_or_otp_answers_as_spec_section_1_10_says(uint cmd, ulong value, int expected)
    {
        var arg = new byte[64];
        Assert.Equal(expected, Open(new FakeNorDriver()).Ioctl(cmd, arg, value));
        if (cmd == MtdIoctl.ECCGETSTATS) Assert.All(arg[..16], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Otpselect_of_factory_or_user_is_EOPNOTSUPP()
    {
        var arg = new byte[4];
        arg[0] = 1;
        Assert.Equal(-EOPNOTSUPP, Open(new FakeNorDriver()).Ioctl(MtdIoctl.OTPSELECT, arg));
        Assert.Equal(0, Open(new FakeNorDriver()).Ioctl(MtdIoctl.MEMGETREGIONCOUNT, arg));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(arg));
    }
}

using Qtz.Kernel.Mtd;
using Xunit;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Tests.Mtd;

/// <summary>spec/mtd.md §1.3.</summary>
public sealed class MtdRegistrationTests
{
    [Fact]
    public void Registering_the_same_mtd_twice_is_EEXIST()
    {
        var registry = new MtdRegistry();
        var fake = new FakeNorDriver();
        Assert.Equal(0, registry.Add(fake.Mtd));
        Assert.Equal(-EEXIST, registry.Add(fake.Mtd));
    }

    [Fact]
    public void A_zero_writesize_is_a_kernel_bug()
    {
        var fake = new FakeNorDriver();
        fake.Mtd.WriteSize = 0;
        Assert.Throws<InvalidOperationException>(() => new MtdRegistry().Add(fake.Mtd));
    }

    [Fact]
    public void Providing_both_write_and_write_oob_is_EINVAL()
    {
        var fake = new FakeNorDriver();
        var ops = fake.Mtd.Operations;
        fake.Mtd.Operations = new MtdOperations { Read = ops.Read, Write = ops.Write, Erase = ops.Erase, WriteOob = (ulong _, Span<byte> _, Span<byte> _, ref ulong _) => 0 };
        Assert.Equal(-EINVAL, new MtdRegistry().Add(fake.Mtd));
    }

    [Fact]
    public void No_erase_without_NO_ERASE_is_EINVAL()
    {
        var fake = new FakeNorDriver();
        fake.Mtd.EraseSize = 0;
        Assert.Equal(-EINVAL, new MtdRegistry().Add(fake.Mtd));
        fake.Mtd.Flags |= MtdFlags.NoErase;
        Assert.Equal(0, new MtdRegistry().Add(fake.Mtd));
    }

    [Fact]
    public void Indices_are_allocated_lowest_free_first()
    {
        var registry = new MtdRegistry();
        var a = new FakeNorDriver().Mtd;
        var b = new FakeNorDriver().Mtd;
        var c = new FakeNorDriver().Mtd;
        registry.Add(a);
        registry.Add(b);
        registry.Remove(a);
        registry.Add(c);
        Assert.Equal((0, 1), (c.Index, b.Index));
    }

    [Fact]
    public void Writeable_powerup_locked_devices_are_unlocked_at_registration()
    {
        var unlocked = new List<(ulong, ulong)>();
        var fake = new FakeNorDriver(flags: MtdFlags.CapNorFlash | MtdFlags.PowerupLock);
        var ops = fake.Mtd.Operations;
        fake.Mtd.Operations = new MtdOperations { Read = ops.Read, Write = ops.Write, Erase = ops.Erase, Unlock = (o, l) => { unlocked.Add((o, l)); return -EIO; } };
        Assert.Equal(0, new MtdRegistry().Add(fake.Mtd));
        Assert.Equal([(0UL, 65536UL)], unlocked);
    }

    [Fact]
    public void The_bitflip_threshold_defaults_to_the_ecc_strength_and_shifts_are_computed()
    {
        var fake = new FakeNorDriver();
        fake.Mtd.EccStrength = 4;
        new MtdRegistry().Add(fake.Mtd);
        Assert.Equal(4u, fake.Mtd.BitflipThreshold);
        Assert.Equal((12, 0xFFFu), (fake.Mtd.EraseSizeShift, fake.Mtd.EraseSizeMask));
    }
}

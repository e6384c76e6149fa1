using Xunit;
using Qtz.DeviceTree.Fdt;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Tests.Fdt;

public class RoundTripTests
{
    [Theory]
    [MemberData(nameof(RealDtbs.All), MemberType = typeof(RealDtbs))]
    public void Parse_then_write_is_byte_identical_for_every_real_dtb(string name)
    {
        var blob = File.ReadAllBytes(RealDtbs.PathOf(name));
        var written = DtTree.Parse(blob).ToBlob();
        Assert.Equal(blob.Length, written.Length);
        Assert.True(blob.AsSpan().SequenceEqual(written), $"{name}: first difference at 0x{FirstDifference(blob, written):x}");
    }

    [Fact]
    public void Memory_reservations_and_boot_cpu_survive_a_round_trip()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        tree.ReserveEntries.Add(new FdtReserveEntry(0x8000_0000, 0x1000));
        tree.ReserveEntries.Add(new FdtReserveEntry(0x9000_0000_0000, 0x20_0000));
        tree.BootCpuId = 3;
        var again = DtTree.Parse(tree.ToBlob());
        Assert.Equal(tree.ReserveEntries, again.ReserveEntries);
        Assert.Equal(3u, again.BootCpuId);
        Assert.Equal(tree.ToDts(), again.ToDts());
    }

    [Fact]
    public void Version_16_blobs_without_size_dt_struct_are_read()
    {
        var blob = RealDtbs.Load("msm8916-mtp.dtb").ToBlob();
        blob[23] = 16; // version 16: the reader must not rely on size_dt_struct
        blob.AsSpan(36, 4).Clear();
        var tree = DtTree.Parse(blob);
        Assert.Equal(RealDtbs.Load("msm8916-mtp.dtb").ToDts(), tree.ToDts());
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
            if (a[i] != b[i]) return i;
        return n;
    }
}

using System.Buffers.Binary;
using Qtz.DeviceTree;
using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Model;

namespace Qtz.Acceptance.Tests.DeviceTree;

public class DtMalformedAcceptanceTests
{
    public static TheoryData<string> BlobDamage() => ["bad-magic", "truncated", "offset-out-of-range", "unterminated-strings", "token-soup"];

    [Theory]
    [MemberData(nameof(BlobDamage))]
    public void Malformed_blobs_exit_2_with_one_line_naming_the_file(string damage)
    {
        using var temp = new TempDirectory();
        var blob = File.ReadAllBytes(DtFixtures.Ride);
        var structOffset = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(8));
        switch (damage)
        {
            case "bad-magic": blob[0] = 0; break;
            case "truncated": blob = blob[..4000]; break;
            case "offset-out-of-range": BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(12), 0x7fff_0000); break;
            case "unterminated-strings":
                var strings = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(12));
                blob.AsSpan(strings).Fill((byte)'x');
                break;
            default:
                var random = new Random(9);
                for (var i = structOffset + 32; i < structOffset + 2048; i += 4)
                    BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(i), (uint)random.Next(0, 12));
                break;
        }

        var path = temp.File(damage + ".dtb");
        File.WriteAllBytes(path, blob);
        foreach (var command in (string[][])[["dt", "dump", path], ["dt", "check", path]])
        {
            var run = QtzBinary.Run(command);
            Assert.Equal(2, run.ExitCode);
            var line = Assert.Single(run.StdErr.TrimEnd().Split('\n'));
            Assert.StartsWith("qtz: " + path, line);
        }
    }

    [Fact]
    public void A_phandle_cycle_is_exit_2_for_check()
    {
        using var temp = new TempDirectory();
        var tree = DtTree.Load(DtFixtures.Ride);
        var a = tree.Root.AddChild("loop-a");
        var b = tree.Root.AddChild("loop-b");
        a.SetCells("phandle", 0x7001);
        b.SetCells("phandle", 0x7002);
        a.SetCells("interrupt-parent", 0x7002);
        b.SetCells("interrupt-parent", 0x7001);
        a.SetCells("interrupts", 1);
        var path = temp.File("cycle.dtb");
        File.WriteAllBytes(path, tree.ToBlob());
        var run = QtzBinary.Run("dt", "check", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/loop-a", run.StdErr);
        Assert.Contains("loops", run.StdErr);
    }

    [Fact]
    public void An_absurd_cell_count_is_exit_2_for_get()
    {
        using var temp = new TempDirectory();
        var tree = DtTree.Load(DtFixtures.Ride);
        tree.GetNode("/soc@0/iommu@15000000").SetCells("#iommu-cells", 0x4000_0000);
        var path = temp.File("cells.dtb");
        File.WriteAllBytes(path, tree.ToBlob());
        var run = QtzBinary.Run("dt", "get", path, DtFixtures.Adsp);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("#iommu-cells = 1073741824 is absurd", run.StdErr);
    }
}

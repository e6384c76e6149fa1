using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Fdt;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Tests.Source;

public class DtsPrinterTests
{
    [RequiresToolTheory("dtc")]
    [MemberData(nameof(RealDtbs.All), MemberType = typeof(RealDtbs))]
    public void Dump_equals_dtc_output_byte_for_byte(string name)
    {
        var path = RealDtbs.PathOf(name);
        var dtc = ExternalTool.Run("dtc", ["-q", "-I", "dtb", "-O", "dts", path]);
        Assert.Equal(0, dtc.ExitCode);
        AssertSameText(dtc.StdOut, DtTree.Load(path).ToDts());
    }

    [Theory]
    [InlineData("sa8775p-ride.dtb")]
    [InlineData("msm8916-mtp.dtb")]
    [InlineData("ipq9574-rdp433.dtb")]
    public void Dump_equals_the_committed_dtc_golden_output(string name)
    {
        var golden = File.ReadAllText(RealDtbs.GoldenDts(name));
        AssertSameText(golden, RealDtbs.Load(name).ToDts());
    }

    [Fact]
    public void Values_are_printed_with_dtcs_type_guess()
    {
        var tree = new DtTree();
        tree.Root.SetProperty("a", [0x61, 0]);
        tree.Root.SetProperty("b", [0x61, 0, 0, 0]);
        tree.Root.SetProperty("c", [0x61, 0, 0x62, 0, 0, 0]);
        tree.Root.SetProperty("d", [0]);
        tree.Root.SetProperty("e", [7, 0x41, 0]);
        tree.Root.SetProperty("f", [0x5c, 0x22, 0x41, 0]);
        tree.Root.SetProperty("g", [1, 2, 3]);
        tree.Root.SetProperty("h", []);
        tree.Root.SetString("i", "one\0two");
        tree.ReserveEntries.Add(new FdtReserveEntry(0x1000, 0x20));
        Assert.Equal(
            "/dts-v1/;\n\n/memreserve/\t0x0000000000001000 0x0000000000000020;\n/ {\n\ta = \"a\";\n\tb = <0x61000000>;\n\tc = [61 00 62 00 00 00];\n" +
            "\td = [00];\n\te = \"\\aA\";\n\tf = \"\\\\\\\"A\";\n\tg = [01 02 03];\n\th;\n\ti = \"one\\0two\";\n};\n",
            tree.ToDts());
    }

    private static void AssertSameText(string expected, string actual)
    {
        if (expected == actual) return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
            Assert.True(e[i] == a[i], $"line {i + 1}: expected «{e[i]}» got «{a[i]}»");
        Assert.Equal(e.Length, a.Length);
    }
}

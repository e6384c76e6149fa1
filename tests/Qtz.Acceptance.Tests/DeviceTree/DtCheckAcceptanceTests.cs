using Qtz.DeviceTree;
using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Model;

namespace Qtz.Acceptance.Tests.DeviceTree;

public class DtCheckAcceptanceTests
{
    [Fact]
    public void Shipped_ride_dtb_passes()
    {
        var run = QtzBinary.Run("dt", "check", DtFixtures.Ride);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("5 PAS node(s) checked, all rules pass", run.StdOut);
    }

    [Fact]
    public void Ride_dtb_with_the_el2_and_devmem_overlays_passes()
    {
        var run = QtzBinary.Run("dt", "check", DtFixtures.Ride, "--overlay", "shipped:sa8775p-el2", "--overlay", "shipped:sa8775p-devmem");
        Assert.Equal(0, run.ExitCode);
    }

    public static TheoryData<string, string, string> Variants() => new()
    {
        { "iommus-two", "[iommus]", "2 items, expected at most 1" },
        { "devmem-prot", "[qcom,devmem]", "row 0 has prot 0x0, expected 1..31" },
        { "memory-region-map", "[memory-region]", "lacks 'no-map'" },
        { "interrupt-order", "[interrupts]", "item 2 is \"handover\", expected \"ready\"" },
        { "smem-names", "[smem-states]", "expected [\"stop\"]" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_broken_variant_fails_with_exit_1_naming_the_node_and_rule(string variant, string rule, string message)
    {
        using var temp = new TempDirectory();
        var path = DtFixtures.WriteBrokenRide(temp, variant, node =>
        {
            switch (variant)
            {
                case "iommus-two": node.SetCells("iommus", 0x2a, 0x3000, 0, 0x2a, 0x3001, 0); break;
                case "devmem-prot": node.SetCells("qcom,devmem", 0x1000, 0x1000, 0x1000, 0); break;
                case "memory-region-map": node.GetMemoryRegions()[0].RemoveProperty("no-map"); break;
                case "interrupt-order": node.SetProperty("interrupt-names", DtValues.StringList("wdog", "fatal", "handover", "ready", "stop-ack")); break;
                default: node.SetProperty("qcom,smem-state-names", DtValues.StringList("halt")); break;
            }
        });
        var run = QtzBinary.Run("dt", "check", path);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"FAIL {DtFixtures.Adsp}", run.StdOut);
        var line = Assert.Single(run.StdOut.Split('\n'), l => l.Contains($"{DtFixtures.Adsp}: {rule} ", StringComparison.Ordinal));
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_carries_the_findings()
    {
        using var temp = new TempDirectory();
        var path = DtFixtures.WriteBrokenRide(temp, "json", node => node.RemoveProperty("clocks"));
        var run = QtzBinary.Run("dt", "check", "--json", path);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"passed\": false", run.StdOut);
        Assert.Contains("'clocks' is missing", run.StdOut);
    }
}

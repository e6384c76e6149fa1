using Xunit;
using Qtz.DeviceTree.Bindings;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;

namespace Qtz.DeviceTree.Tests.Bindings;

public class PasBindingCheckerTests
{
    private const string Adsp = "/soc@0/remoteproc@30000000";
    private const string Cdsp0 = "/soc@0/remoteproc@26300000";

    [Fact]
    public void Shipped_ride_dtb_passes_and_all_five_dsps_are_checked()
    {
        var report = PasBindingChecker.Check(RealDtbs.Load("sa8775p-ride.dtb"));
        Assert.True(report.Passed, string.Join("\n", report.Findings));
        Assert.Equal(5, report.Nodes.Count);
        Assert.All(report.Nodes, n => Assert.Equal("qcom,sa8775p-pas", n.Binding));
    }

    [Theory]
    [MemberData(nameof(RealDtbs.All), MemberType = typeof(RealDtbs))]
    public void Every_real_dtb_passes_the_pas_checks(string name)
    {
        var report = PasBindingChecker.Check(RealDtbs.Load(name));
        Assert.True(report.Passed, string.Join("\n", report.Findings));
    }

    [Fact]
    public void Ride_dtb_with_the_el2_and_devmem_overlays_passes()
    {
        var report = PasBindingChecker.Check(Broken(_ => { }));
        Assert.True(report.Passed, string.Join("\n", report.Findings));
    }

    [Fact]
    public void Iommus_with_two_items_fails() =>
        AssertFails(n => n.SetCells("iommus", 0x2a, 0x3000, 0, 0x2a, 0x3001, 0), BindingRules.Iommus, "2 items, expected at most 1");

    [Fact]
    public void Iommus_pointing_at_a_node_that_is_not_an_smmu_fails() =>
        AssertFails(n => n.SetCells("iommus", n.Root.FindChild("soc@0")!.FindChild("remoteproc@26300000")!.Phandle ?? AddPhandle(n, Cdsp0)),
            BindingRules.Iommus, "which is not an SMMU");

    [Fact]
    public void Iommus_with_too_few_cells_for_the_smmu_fails() =>
        AssertFails(n => n.SetCells("iommus", 0x2a, 0x3000), BindingRules.Iommus, "needs 2 argument cells but only 1 remain");

    [Fact]
    public void Iommus_with_a_dangling_phandle_fails() =>
        AssertFails(n => n.SetCells("iommus", 0xdead, 0x3000, 0), BindingRules.Iommus, "phandle 0xdead");

    [Fact]
    public void Devmem_that_is_not_a_multiple_of_four_cells_fails() =>
        AssertFails(n => n.SetCells("qcom,devmem", 0x1000, 0x1000, 0x1000), BindingRules.Devmem, "expected a non-empty multiple of 4");

    [Fact]
    public void Empty_devmem_fails() =>
        AssertFails(n => n.SetProperty("qcom,devmem", []), BindingRules.Devmem, "non-empty");

    [Theory]
    [InlineData(0u)]
    [InlineData(32u)]
    public void Devmem_with_a_prot_outside_1_to_31_fails(uint prot) =>
        AssertFails(n => n.SetCells("qcom,devmem", 0x1000, 0x1000, 0x1000, prot), BindingRules.Devmem, $"row 0 has prot 0x{prot:x}, expected 1..31");

    [Fact]
    public void Devmem_with_overlapping_rows_fails() =>
        AssertFails(n => n.SetCells("qcom,devmem", 0x1000, 0x1000, 0x2000, 3, 0x2000, 0x8000, 0x1000, 3), BindingRules.Devmem,
            "row 1 device range [0x2000, 0x3000) overlaps row 0 [0x1000, 0x3000)");

    [Fact]
    public void Memory_region_without_no_map_fails() =>
        AssertFails(n => n.GetMemoryRegions()[0].RemoveProperty("no-map"), BindingRules.MemoryRegion, "lacks 'no-map'");

    [Fact]
    public void Memory_region_outside_reserved_memory_fails() =>
        AssertFails(n => n.SetCells("memory-region", AddPhandle(n, "/cpus")), BindingRules.MemoryRegion, "/cpus, which is not a child of /reserved-memory");

    [Fact]
    public void Memory_region_with_two_items_fails_the_sa8775p_binding() =>
        AssertFails(n => n.SetCells("memory-region", [.. n.GetProperty("memory-region").AsCells(), .. n.GetProperty("memory-region").AsCells()]),
            BindingRules.MemoryRegion, "2 items, expected 1");

    [Fact]
    public void Interrupt_names_out_of_order_fail() =>
        AssertFails(n => n.SetProperty("interrupt-names", DtValues.StringList("wdog", "fatal", "handover", "ready", "stop-ack")),
            BindingRules.Interrupts, "item 2 is \"handover\", expected \"ready\"");

    [Fact]
    public void Interrupts_that_do_not_match_their_names_fail() =>
        AssertFails(n => n.SetCells("interrupts-extended", n.GetProperty("interrupts-extended").AsCells()[..12]),
            BindingRules.Interrupts, "4 interrupts but 5 'interrupt-names'");

    [Fact]
    public void A_sixth_interrupt_fails_the_sa8775p_binding()
    {
        var report = PasBindingChecker.Check(Broken(n =>
        {
            n.SetProperty("interrupt-names", DtValues.StringList("wdog", "fatal", "ready", "handover", "stop-ack", "shutdown-ack"));
            n.SetCells("interrupts-extended", [.. n.GetProperty("interrupts-extended").AsCells(), .. n.GetProperty("interrupts-extended").AsCells()[12..]]);
        }));
        var finding = Assert.Single(report.Findings);
        Assert.Equal(BindingRules.Interrupts, finding.Rule);
        Assert.Contains("'interrupt-names' has 6 items, expected 5", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smem_state_names_other_than_stop_fail() =>
        AssertFails(n => n.SetProperty("qcom,smem-state-names", DtValues.StringList("halt")), BindingRules.SmemStates, "expected [\"stop\"]");

    [Fact]
    public void Two_smem_states_fail() =>
        AssertFails(n => n.SetCells("qcom,smem-states", [.. n.GetProperty("qcom,smem-states").AsCells(), .. n.GetProperty("qcom,smem-states").AsCells()]),
            BindingRules.SmemStates, "2 items, expected exactly 1");

    [Fact]
    public void A_missing_required_property_fails() =>
        AssertFails(n => n.RemoveProperty("clocks"), BindingRules.Required, "'clocks' is missing");

    [Fact]
    public void A_qcs8300_compatible_without_its_fallback_fails() =>
        AssertFails(n => n.SetProperty("compatible", DtValues.StringList("qcom,qcs8300-adsp-pas")), BindingRules.Compatible,
            "must be followed by the fallback \"qcom,sa8775p-adsp-pas\"");

    [Fact]
    public void Two_reg_entries_fail() =>
        AssertFails(n => n.SetCells("reg", 0, 0x30000000, 0, 0x100, 0, 0x31000000, 0, 0x100), BindingRules.Reg, "2 entries, expected 1");

    [Fact]
    public void Clock_names_other_than_xo_fail() =>
        AssertFails(n => n.SetProperty("clock-names", DtValues.StringList("core")), BindingRules.Clocks, "expected [\"xo\"]");

    [Fact]
    public void Wrong_power_domain_names_fail() =>
        AssertFails(n => n.SetProperty("power-domain-names", DtValues.StringList("cx", "mxc")), BindingRules.PowerDomains,
            "expected [\"lcx\", \"lmx\"]");

    [Fact]
    public void Two_firmware_names_fail() =>
        AssertFails(n => n.SetProperty("firmware-name", DtValues.StringList("a.mbn", "b.mbn")), BindingRules.FirmwareName, "2 items, expected 1");

    /// <summary>ride + EL2 + devmem overlays, then <paramref name="breakIt"/> applied to the ADSP node.</summary>
    internal static DtTree Broken(Action<DtNode> breakIt)
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        DtOverlay.Apply(tree, ShippedOverlays.Load("sa8775p-el2"), ShippedOverlays.Load("sa8775p-devmem"));
        breakIt(tree.GetNode(Adsp));
        return tree;
    }

    private static void AssertFails(Action<DtNode> breakIt, string rule, string messagePart)
    {
        var report = PasBindingChecker.Check(Broken(breakIt));
        Assert.False(report.Passed);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(Adsp, finding.NodePath);
        Assert.Equal(rule, finding.Rule);
        Assert.Contains(messagePart, finding.Message, StringComparison.Ordinal);
    }

    private static uint AddPhandle(DtNode any, string path)
    {
        var tree = any.Root;
        var node = tree.FindChild(path.TrimStart('/').Split('/')[0])!;
        foreach (var part in path.TrimStart('/').Split('/').Skip(1)) node = node.FindChild(part)!;
        if (node.Phandle is { } existing) return existing;
        var fresh = 0x7000u;
        node.SetCells("phandle", fresh);
        return fresh;
    }
}

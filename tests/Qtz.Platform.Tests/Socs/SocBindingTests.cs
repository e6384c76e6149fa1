using Qtz.DeviceTree;
using Qtz.Platform.Socs;
using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Bindings;
using Qtz.DeviceTree.Model;

namespace Qtz.Platform.Tests.Socs;

/// <summary>`qtz dt check`'s per-SoC bindings: each PAS node against its own SoC's data, not SA8775p's.</summary>
public sealed class SocBindingTests
{
    private static BindingReport Check(DtTree tree) => PasBindingChecker.Check(tree, SocBindings.For(SocCatalog.Linux));

    [RequiresDtbsFact]
    public void Every_pas_node_of_a_real_sm8550_tree_passes_its_own_binding()
    {
        var report = Check(DtTree.Parse(File.ReadAllBytes(SocTestData.Dtb("sm8550-hdk.dtb"))));
        Assert.True(report.Passed);
        Assert.All(report.Nodes, n => Assert.Equal("qcom,sm8550-pas", n.Binding));
    }

    [RequiresDtbsFact]
    public void A_dtb_soc_node_with_one_firmware_name_or_a_missing_proxy_domain_fails_its_binding()
    {
        var tree = DtTree.Parse(File.ReadAllBytes(SocTestData.Dtb("sm8550-hdk.dtb")));
        var adsp = tree.Root.DescendantsAndSelf().Single(n => n.IsCompatible("qcom,sm8550-adsp-pas"));
        adsp.SetProperty("firmware-name", DtValues.StringList("qcom/sm8550/adsp.mbn"));
        adsp.SetProperty("power-domain-names", DtValues.StringList("lcx", "cx"));
        var node = Check(tree).Nodes.Single(n => n.Path == adsp.Path);
        Assert.Contains(node.Findings, f => f.Rule == BindingRules.FirmwareName && f.Message.Contains("expected 2", StringComparison.Ordinal));
        Assert.Contains(node.Findings, f => f.Rule == BindingRules.PowerDomains && f.Message.Contains("\"lmx\"", StringComparison.Ordinal));
    }

    [RequiresDtbsFact]
    public void The_modem_binding_counts_its_dtb_and_shareable_regions()
    {
        var tree = DtTree.Parse(File.ReadAllBytes(SocTestData.Dtb("sm8550-hdk.dtb")));
        var mpss = tree.Root.DescendantsAndSelf().Single(n => n.IsCompatible("qcom,sm8550-mpss-pas"));
        var regions = mpss.FindProperty("memory-region")!.Value.ToArray();
        mpss.SetProperty("memory-region", regions.AsSpan(0, 4)); // only the carveout
        var node = Check(tree).Nodes.Single(n => n.Path == mpss.Path);
        Assert.Contains(node.Findings, f => f.Rule == BindingRules.MemoryRegion && f.Message.Contains("expected 3", StringComparison.Ordinal));
    }
}

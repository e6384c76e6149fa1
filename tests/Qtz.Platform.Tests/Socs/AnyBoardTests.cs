using Qtz.DeviceTree;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Boards;
using Qtz.Platform.Socs;
using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Model;

namespace Qtz.Platform.Tests.Socs;

public sealed class AnyBoardTests
{
    [RequiresDtbsFact]
    public void Every_real_dtb_with_enabled_pas_nodes_boots_all_of_them_in_qhee_mode_with_generated_firmware()
    {
        var booted = 0;
        var failures = new List<string>();
        foreach (var path in Directory.GetFiles(TestPaths.SharedDtbDirectory, "*.dtb").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var tree = DtTree.Parse(File.ReadAllBytes(path));
            var expected = BoardDeviceTree.PasNodes(tree).Count();
            if (expected == 0) continue;
            using var board = Board.Build(new BoardOptions { Dtb = new NamedBlob(name, File.ReadAllBytes(path)) });
            var report = board.Boot();
            Assert.Equal(expected, report.Remoteprocs.Count);
            booted += report.Remoteprocs.Count(r => r.Running);
            failures.AddRange(report.Remoteprocs.Where(r => !r.Running).Select(r => $"{name} {r.Name}: {r.Failure}"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(booted >= 40, $"only {booted} PAS nodes booted");
    }

    [Fact]
    public void A_made_up_soc_added_in_a_few_lines_boots()
    {
        var zz = new SocDescription("zz9000", [new PasData { Compatible = "qcom,zz9000-adsp-pas", FirmwareName = "adsp.mbn", PasId = 1, CrashReasonSmem = 423, ProxyPowerDomains = ["cx"] }]);
        var tree = DtTree.Parse(DefaultBoard.Dtb());
        var adsp = tree.Root.DescendantsAndSelf().Single(n => n.IsCompatible("qcom,sa8775p-adsp-pas"));
        adsp.SetProperty("compatible", DtValues.StringList(["qcom,zz9000-adsp-pas"]));

        using var board = Board.Build(new BoardOptions { Dtb = new NamedBlob("zz9000.dtb", tree.ToBlob()), Socs = SocCatalog.Linux.With(zz) });
        var report = board.Boot();

        var row = Assert.Single(report.Remoteprocs, r => r.Soc == "zz9000");
        Assert.True(row.Running, row.Failure);
        Assert.True(report.AllRunning);
    }

    [Fact]
    public void A_tree_without_pas_remoteprocs_is_refused_naming_what_it_found()
    {
        var tree = DtTree.Parse(DefaultBoard.Dtb());
        foreach (var n in tree.Root.DescendantsAndSelf().Where(n => n.GetStringList("compatible").Any(c => c.EndsWith("-pas", StringComparison.Ordinal))).ToList())
            n.SetProperty("compatible", DtValues.StringList(["qcom,sa8775p-mss-pil"]));
        var error = Assert.Throws<BoardException>(() => Board.Build(new BoardOptions { Dtb = new NamedBlob("nopas.dtb", tree.ToBlob()) }));
        Assert.StartsWith("no Qualcomm PAS remoteproc in nopas.dtb", error.Message, StringComparison.Ordinal);
        Assert.Contains("qcom,sa8775p-mss-pil", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pas_compatible_not_in_the_table_is_named()
    {
        var tree = DtTree.Parse(DefaultBoard.Dtb());
        var adsp = tree.Root.DescendantsAndSelf().Single(n => n.IsCompatible("qcom,sa8775p-adsp-pas"));
        adsp.SetProperty("compatible", DtValues.StringList(["qcom,zz9999-adsp-pas"]));
        var error = Assert.Throws<BoardException>(() => Board.Build(new BoardOptions { Dtb = new NamedBlob("odd.dtb", tree.ToBlob()) }));
        Assert.Contains("'qcom,zz9999-adsp-pas'", error.Message, StringComparison.Ordinal);
    }

    [RequiresDtbsFact]
    public void A_tree_without_an_apps_smmu_boots_its_dsps_untranslated_as_linux_would()
    {
        var tree = DtTree.Parse(File.ReadAllBytes(SocTestData.Dtb("qrb5165-rb5.dtb")));
        foreach (var n in tree.Root.DescendantsAndSelf().Where(n => n.GetStringList("compatible").Any(c => c.EndsWith("mmu-500", StringComparison.Ordinal) || c.EndsWith("smmu-500", StringComparison.Ordinal))).ToList())
            n.SetProperty("status", DtValues.String("disabled"));
        using var board = Board.Build(new BoardOptions { Dtb = new NamedBlob("rb5-no-smmu.dtb", tree.ToBlob()) });
        Assert.Null(board.SmmuNode);
        var report = board.Boot();
        Assert.True(report.AllRunning, string.Join("; ", report.Remoteprocs.Select(r => $"{r.Name}: {r.Failure}")));
        Assert.Contains(report.Notes, n => n.Contains("no apps SMMU", StringComparison.Ordinal));
    }

    [RequiresDtbsFact]
    public void Ddr_starts_where_the_trees_memory_node_and_reserved_regions_say()
    {
        using var board = Board.Build(new BoardOptions { Dtb = SocTestData.Blob("sm8550-hdk.dtb") });
        Assert.Contains(board.Notes, n => n.Contains("base 0xa0000000", StringComparison.Ordinal));
        Assert.Equal(0x8000_0000UL, board.Memory.Ddr[0].Base.Value); // its reserved regions start below /memory's base
        using var rb5 = Board.Build(new BoardOptions { Dtb = SocTestData.Blob("qrb5165-rb5.dtb") });
        Assert.Equal(0x8000_0000UL, rb5.Memory.Ddr[0].Base.Value);
    }

    [RequiresDtbsFact]
    public void Stream_ids_come_from_iommus_else_the_socs_overlay_else_a_unique_stand_in()
    {
        using var board = Board.Build(new BoardOptions { Dtb = SocTestData.Blob("sm8550-hdk.dtb") });
        var streams = board.Remoteprocs.Select(r => r.Hardware.StreamId).ToList();
        Assert.Equal(streams.Count, streams.Distinct().Count());
        Assert.All(board.Remoteprocs, r => Assert.StartsWith("qtz stand-in", r.Hardware.StreamSource, StringComparison.Ordinal));
        using var lemans = Board.Build();
        Assert.Equal((ushort)0x3000, lemans.Remoteproc("adsp").Hardware.StreamId);
        Assert.Equal(2, lemans.Remoteproc("adsp").Hardware.SmemHost);
    }
}

using System.Text.Json;
using Qtz.DeviceTree.Model;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Boot;

/// <summary>`qtz boot` shows every PAS user — remoteprocs, video, the zap shader, IPA, WCNSS — through the real binary.</summary>
public sealed class PeripheralsCommandTests
{
    private static string Dtb(string name) => Path.Combine(TestPaths.ProjectDtbDirectory, name);

    [Fact]
    public void Boot_json_has_a_peripherals_array_with_name_pas_id_kind_state_and_reason()
    {
        var r = QtzBinary.Run("boot", "--dtb", Dtb("sm8250-mtp.dtb"), "--json");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        using var json = JsonDocument.Parse(r.StdOut);
        var peripherals = json.RootElement.GetProperty("peripherals").EnumerateArray().ToList();
        Assert.Equal(["adsp", "slpi", "cdsp", "venus", "gpu-zap"], peripherals.Select(p => p.GetProperty("name").GetString()));
        var venus = peripherals.Single(p => p.GetProperty("name").GetString() == "venus");
        Assert.Equal(9, venus.GetProperty("pasId").GetInt32());
        Assert.Equal("video", venus.GetProperty("kind").GetString());
        Assert.Equal("running", venus.GetProperty("state").GetString());
        Assert.True(venus.TryGetProperty("reason", out _));
        Assert.Equal("gpu-zap", peripherals.Single(p => p.GetProperty("pasId").GetInt32() == 13).GetProperty("kind").GetString());
        Assert.Equal("remoteproc", peripherals[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void An_apq8016_board_boots_wcnss_and_exits_0()
    {
        var r = QtzBinary.Run("boot", "--dtb", Dtb("apq8016-sbc.dtb"));
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("wcnss       6    wcnss", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("gpu-zap: off: no zap-shader node", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("3 of 3 other PAS users up", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_peripheral_image_fails_that_peripheral_with_its_path_and_exits_1()
    {
        using var dir = new TempDirectory();
        var r = QtzBinary.Run("boot", "--dtb", Dtb("apq8016-sbc.dtb"), "--firmware", dir.Path, "--json");
        Assert.True(r.ExitCode == 1, r.StdOut + r.StdErr);
        using var json = JsonDocument.Parse(r.StdOut);
        var wcnss = json.RootElement.GetProperty("peripherals").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "wcnss");
        Assert.Equal("offline", wcnss.GetProperty("state").GetString());
        Assert.Contains("qcom/apq8016/wcnss.mbn", wcnss.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Late_attach_of_a_named_dsp_shows_it_attached_and_an_unknown_name_exits_2()
    {
        var r = QtzBinary.Run("boot", "--dtb", Dtb("qrb5165-rb5.dtb"), "--late-attach", "adsp");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("attached", r.StdOut, StringComparison.Ordinal);
        var bad = QtzBinary.Run("boot", "--dtb", Dtb("qrb5165-rb5.dtb"), "--late-attach", "modem");
        Assert.True(bad.ExitCode == 2, bad.StdOut + bad.StdErr);
        Assert.Contains("--late-attach modem", bad.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shell_starts_stops_and_shows_a_peripheral_with_the_rproc_verbs()
    {
        const string script = "rproc stop venus\nexpect offline venus\nrproc start venus\nexpect running venus\nrproc status gpu-zap\nrproc list";
        var r = QtzBinary.Run("shell", "--dtb", Dtb("sm8250-mtp.dtb"), "-c", script);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("pas_id: 13", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("venus", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_without_any_pas_user_exits_2_with_the_reason()
    {
        var tree = DtTree.Parse(File.ReadAllBytes(Dtb("apq8016-sbc.dtb")));
        foreach (var node in tree.Root.DescendantsAndSelf().Where(n => n.GetStringList("compatible") is var c
            && (c.Contains("qcom,pronto-v2-pil") || c.Contains("qcom,msm8916-venus") || c.Contains("qcom,adreno"))).ToList())
            node.SetString("status", "disabled");
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bare.dtb"), tree.ToBlob());
        var r = QtzBinary.Run("boot", "--dtb", dir.File("bare.dtb"));
        Assert.True(r.ExitCode == 2, r.StdOut + r.StdErr);
        Assert.Contains("no enabled Qualcomm PAS remoteproc or PAS user in", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("(wcnss)", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("(video)", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("qcom,msm8916-mss-pil", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("(other drivers, not PAS)", r.StdErr, StringComparison.Ordinal);
    }
}

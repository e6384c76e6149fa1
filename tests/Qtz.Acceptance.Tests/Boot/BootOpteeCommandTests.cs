using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Boot;

/// <summary>`qtz boot --tee optee` through the real binary: the generic PAS layer's OP-TEE backend on the default board.</summary>
public sealed class BootOpteeCommandTests
{
    [Fact]
    public void The_default_board_boots_all_five_DSPs_through_the_OP_TEE_backend_and_says_so()
    {
        using var temp = new TempDirectory();
        var trace = temp.File("trace.txt");
        var r = QtzBinary.Run("boot", "--tee", "optee", "--trace", trace);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("mode kvm", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("PAS backend qcom-pas-tee (optee)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("5 of 5 remoteprocs running", r.StdOut, StringComparison.Ordinal);
        var lines = File.ReadAllLines(trace);
        foreach (var pasId in new[] { 1, 18, 30, 39, 40 })
            Assert.Contains(lines, l => l.Contains($"optee invoke PAS AUTH_AND_RESET pas_id={pasId} ", StringComparison.Ordinal) && l.EndsWith("-> TEE_SUCCESS", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("smc PIL.", StringComparison.Ordinal));
    }

    [RequiresFirmwareFact]
    public void Real_firmware_boots_through_the_OP_TEE_backend_and_the_json_names_the_backend()
    {
        var r = QtzBinary.Run("boot", "--tee", "optee", "--firmware", TestPaths.FirmwareDirectory, "--json");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("\"tee\": \"optee\"", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"pasBackend\": \"qcom-pas-tee\"", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"allRunning\": true", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chrome_trace_has_an_optee_track_beside_the_scm_track()
    {
        using var temp = new TempDirectory();
        var trace = temp.File("trace.json");
        var r = QtzBinary.Run("boot", "--tee", "optee", "--trace", trace);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        var json = File.ReadAllText(trace);
        Assert.Contains("\"name\":\"invoke PAS AUTH_AND_RESET\"", json, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"OPTEE.CALL_WITH_ARG\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_backend_is_qtee_through_SCM_calls()
    {
        var r = QtzBinary.Run("boot", "--json");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("\"tee\": \"qtee\"", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"pasBackend\": \"qcom_scm\"", r.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tee", "sel4")]
    [InlineData("--tee", "optee", "--mode", "qhee")]
    public void A_bad_tee_choice_is_a_usage_error_in_one_line(params string[] args)
    {
        var r = QtzBinary.Run(["boot", .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("qtz: --tee", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Dt_shipped_lists_the_EL2_overlays_built_from_SoC_data_and_prints_their_source()
    {
        var list = QtzBinary.Run("dt", "shipped");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("sa8775p-el2", list.StdOut, StringComparison.Ordinal);
        foreach (var name in new[] { "lemans-el2", "monaco-el2", "talos-el2", "x1-el2", "kodiak-el2" })
            Assert.Contains(name + "  (EL2, from SoC data", list.StdOut, StringComparison.Ordinal);
        var x1 = QtzBinary.Run("dt", "shipped", "x1-el2");
        Assert.Equal(0, x1.ExitCode);
        Assert.Contains("&remoteproc_adsp {", x1.StdOut, StringComparison.Ordinal);
        Assert.Contains("iommus = <&apps_smmu 0x1000 0x80>;", x1.StdOut, StringComparison.Ordinal);
        using var temp = new TempDirectory();
        Assert.Equal(2, QtzBinary.Run("dt", "shipped", "x1-el2", "-o", temp.File("x.dtbo")).ExitCode);
        Assert.False(File.Exists(temp.File("x.dtbo")));
    }
}

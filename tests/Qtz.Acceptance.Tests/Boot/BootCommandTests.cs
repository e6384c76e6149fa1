using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Boot;

/// <summary>Booting through the real binary: `qtz boot` in its modes.</summary>
public sealed class BootCommandTests
{
    private static readonly string RideDtb = Path.Combine(TestPaths.SharedDtbDirectory, "sa8775p-ride.dtb");
    private static readonly string[] Dsps = ["adsp", "cdsp0", "cdsp1", "gpdsp0", "gpdsp1"];

    [Fact]
    public void Boot_with_no_arguments_runs_all_five_dsps()
    {
        var r = QtzBinary.Run("boot");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("5 of 5 remoteprocs running", r.StdOut, StringComparison.Ordinal);
        foreach (var dsp in Dsps)
            Assert.Matches($"(?m)^{dsp} .* running ", r.StdOut);
    }

    [RequiresFirmwareFact]
    public void Real_dtb_and_real_firmware_boot_in_qhee_mode_with_real_signatures()
    {
        var r = QtzBinary.Run("boot", "--dtb", RideDtb, "--firmware", TestPaths.FirmwareDirectory, "--mode", "qhee", "--json");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("\"allRunning\": true", r.StdOut, StringComparison.Ordinal);
        // The released images are signed by Qualcomm's SecTools P-384 test root, which the default fuses trust.
        Assert.Equal(5, CountOf(r.StdOut, "root f953644308944bb8"));
        // Five remoteprocs, each also a row of the peripherals array (kind remoteproc).
        Assert.Equal(10, CountOf(r.StdOut, "\"state\": \"running\""));
        Assert.Equal(5, CountOf(r.StdOut, "\"kind\": \"remoteproc\""));
    }

    [RequiresFirmwareTheory]
    [InlineData("rsctable")]
    [InlineData("devmem")]
    public void Real_firmware_boots_in_kvm_mode_with_bridges_identity_and_devmem_mappings(string design)
    {
        using var temp = new TempDirectory();
        var trace = temp.File("trace.txt");
        var r = QtzBinary.Run("boot", "--dtb", RideDtb, "--firmware", TestPaths.FirmwareDirectory, "--mode", "kvm", "--el2-design", design, "--trace", trace);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("applied the shipped EL2 overlay", r.StdOut, StringComparison.Ordinal);
        var lines = File.ReadAllLines(trace);
        var smc = lines.Where(l => l.Contains(" smc ", StringComparison.Ordinal)).ToArray();
        foreach (var pasId in new[] { 1, 18, 30, 39, 40 })
        {
            var auth = Array.FindIndex(smc, l => l.Contains("smc PIL.PAS_AUTH_AND_RESET", StringComparison.Ordinal) && l.Contains($"(val:0x{pasId:x})", StringComparison.Ordinal));
            Assert.True(auth > 0, $"no AUTH_AND_RESET for PAS {pasId}");
            Assert.Contains("MP.SHM_BRIDGE_CREATE", smc[auth - 1], StringComparison.Ordinal);
            Assert.Contains("MP.SHM_BRIDGE_DELETE", smc[auth + 1], StringComparison.Ordinal);
        }

        var maps = lines.Where(l => l.Contains(" smmu-map ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, maps.Count(l => l.Contains("size 0x1e00000", StringComparison.Ordinal) && l.Contains("(identity)", StringComparison.Ordinal)));
        Assert.Contains(maps, l => l.Contains("linux-iommu:adsp smmu-map iova 0x110000 -> pa 0x110000", StringComparison.Ordinal));
        Assert.True(maps.Count >= 5 + 18, $"expected carveout and devmem mappings, got {maps.Count}");
    }

    [Fact]
    public void Kvm_without_the_el2_overlay_fails_every_dsp_and_says_why()
    {
        var r = QtzBinary.Run("boot", "--mode", "kvm", "--no-el2-overlay");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no remoteproc node has 'iommus', so Linux maps nothing", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("0 of 5 remoteprocs running", r.StdOut, StringComparison.Ordinal);
        var errors = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var dsp in Dsps)
        {
            // TrustZone released the DSP (bridged buffers), its first fetch faulted in the SMMU because
            // Linux attached nothing for its stream, and the remoteproc reported the crash.
            var line = Assert.Single(errors, l => l.StartsWith($"qtz: boot: {dsp} ", StringComparison.Ordinal));
            Assert.Contains("crashed (fatal error", line, StringComparison.Ordinal);
            Assert.Contains("fetch at entry", line, StringComparison.Ordinal);
            Assert.Contains("StreamFault", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bad_mode_is_a_usage_error()
    {
        var r = QtzBinary.Run("boot", "--mode", "gunyah");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("expected qhee or kvm", r.StdErr, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}

using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Boot;

/// <summary>`qtz boot` on other boards: real images by firmware-name, honest outcomes and exit codes.</summary>
public sealed class AnyBoardCommandTests
{
    private static string Dtb(string name) => Path.Combine(TestPaths.SharedDtbDirectory, name);

    [RequiresFirmwareFact]
    public void A_missing_dtb_image_keeps_that_remoteproc_offline_with_the_path_and_exits_1()
    {
        var r = QtzBinary.Run("boot", "--dtb", Dtb("x1e80100-lenovo-yoga-slim7x.dtb"), "--firmware", TestPaths.FirmwareDirectory, "--json",
            "--trust-root", "425587a1654d0db10d3f8b360f50c05082376bcb1f65e0c61c24fd1047e7cb3d184b4eaee95f2af4239d6cafc1aa954d");
        Assert.True(r.ExitCode == 1, r.StdOut + r.StdErr);
        Assert.Contains("\"state\": \"running\"", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"offline\"", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("qcom/x1e80100/LENOVO/83ED/cdsp_dtbs.elf", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"reason\"", r.StdOut, StringComparison.Ordinal);
    }

    [RequiresFirmwareFact]
    public void The_rb5_boots_with_its_real_images_found_by_firmware_name()
    {
        var r = QtzBinary.Run("boot", "--dtb", Dtb("qrb5165-rb5.dtb"), "--firmware", TestPaths.FirmwareDirectory);
        // Its DSPs boot; the video and zap images it names are not in the test data, so those fail and the exit is 1.
        Assert.True(r.ExitCode == 1, r.StdOut + r.StdErr);
        Assert.Contains("qcom/sm8250/adsp.mbn", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("2 of 2 remoteprocs running", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("qcom/vpu-1.0/venus.mbn not found", r.StdOut, StringComparison.Ordinal);
    }
}

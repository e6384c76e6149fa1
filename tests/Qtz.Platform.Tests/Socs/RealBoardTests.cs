using Qtz.Platform.Boards;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Platform.Tests.Socs;

/// <summary>Real boards with their real linux-firmware images, found by each node's firmware-name.</summary>
public sealed class RealBoardTests
{
    private const string LenovoRoot = "425587a1654d0db10d3f8b360f50c05082376bcb1f65e0c61c24fd1047e7cb3d184b4eaee95f2af4239d6cafc1aa954d";

    private static BootReport Boot(string dtb, params byte[][] roots)
    {
        using var board = Board.Build(new BoardOptions { Dtb = SocTestData.Blob(dtb), FirmwareDirectory = TestPaths.FirmwareDirectory, TrustRoots = roots });
        return board.Boot();
    }

    [RequiresFirmwareTheory]
    [InlineData("qrb5165-rb5.dtb")]
    [InlineData("sdm845-db845c.dtb")]
    public void A_development_board_boots_its_test_signed_images(string dtb)
    {
        var report = Boot(dtb);
        // Their DSPs; the video and zap images these boards name are not all in the test data (see RealPasUserTests).
        Assert.True(report.Remoteprocs.All(r => r.Running), string.Join("; ", report.Remoteprocs.Select(r => $"{r.Name}: {r.Failure}")));
    }

    [RequiresFirmwareFact]
    public void The_yoga_adsp_boots_with_its_dtb_image_and_the_cdsp_names_the_missing_one()
    {
        var report = Boot("x1e80100-lenovo-yoga-slim7x.dtb", Convert.FromHexString(LenovoRoot));
        var adsp = report.Remoteprocs.Single(r => r.Name == "adsp");
        var cdsp = report.Remoteprocs.Single(r => r.Name == "cdsp");
        Assert.True(adsp.Running, adsp.Failure);
        Assert.Equal("qcom/x1e80100/LENOVO/83ED/adsp_dtbs.elf", adsp.DtbFirmware);
        Assert.Equal("offline", cdsp.State);
        Assert.Contains("qcom/x1e80100/LENOVO/83ED/cdsp_dtbs.elf", cdsp.Failure, StringComparison.Ordinal);
    }

    [RequiresFirmwareFact]
    public void An_untrusted_production_root_fails_naming_its_hash_and_the_option()
    {
        var report = Boot("x1e80100-lenovo-yoga-slim7x.dtb");
        var adsp = report.Remoteprocs.Single(r => r.Name == "adsp");
        Assert.False(adsp.Running);
        Assert.Contains(LenovoRoot, adsp.Failure, StringComparison.Ordinal);
        Assert.Contains("--trust-root", adsp.Failure, StringComparison.Ordinal);
    }
}

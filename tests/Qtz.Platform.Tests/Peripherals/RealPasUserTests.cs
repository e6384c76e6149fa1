using Qtz.Platform.Boards;
using Qtz.TestSupport;
using Xunit;
using static Qtz.Platform.Tests.Peripherals.PasUserBoards;

namespace Qtz.Platform.Tests.Peripherals;

/// <summary>The other PAS users with real linux-firmware images (read from the shared test data, never committed).</summary>
public sealed class RealPasUserTests
{
    /// <summary>QPSA F4 TEST ROOT: signs venus-5.2 in linux-firmware.</summary>
    private const string VenusRoot = "26623a15cd959d5613b0724eb963974cfee2be16675fb2cb87b1eab25894fb3da2e11baa22f7b8a549bf877b0bda4735";

    /// <summary>The root of the split a530_zap image.</summary>
    private const string A530ZapRoot = "0db2117b6b88f7c3af63f0049485c3a8e4580c4e5ea311021571c85222846f250abc1802d6959c0fc8234944fa48c3c0";

    private static BootReport Boot(Board board) => board.Boot();

    [RequiresFirmwareFact]
    public void The_db845c_boots_venus_with_the_real_venus_5_2_image_and_its_video_var()
    {
        using var board = Build("sdm845-db845c.dtb", o => o with { FirmwareDirectory = TestPaths.FirmwareDirectory, TrustRoots = [Convert.FromHexString(VenusRoot)] });
        var venus = Peripheral(Boot(board), "venus");
        Assert.True(venus.State == "running", venus.Reason);
        Assert.Equal("qcom/venus-5.2/venus.mbn", venus.Firmware);
        Assert.Equal("AUTH_AND_RESET 9", Calls(board, 9)[^2]);
        Assert.StartsWith("VIDEO_VAR", Calls(board, 9)[^1], StringComparison.Ordinal);
    }

    [RequiresFirmwareFact]
    public void The_db820c_loads_the_real_split_a530_zap_image_by_its_legacy_name()
    {
        using var board = Build("apq8096-db820c.dtb", o => o with { FirmwareDirectory = TestPaths.FirmwareDirectory, TrustRoots = [Convert.FromHexString(A530ZapRoot)] });
        var zap = Peripheral(Boot(board), "gpu-zap");
        Assert.True(zap.State == "running", zap.Reason);
        Assert.Equal("a530_zap.mdt", zap.Firmware);
        // Split image whose code segment carries the relocatable flag: MEM_SETUP before the copy.
        Assert.Equal(["INIT_IMAGE 13", "MEM_SETUP 13", "AUTH_AND_RESET 13"], Calls(board, 13));
        Assert.Contains(board.Trace.Events, e => e.Text.Contains("request_firmware(qcom/a530_zap.mdt)", StringComparison.Ordinal));
    }

    [RequiresFirmwareFact]
    public void An_untrusted_real_video_image_names_trustzones_refusal_and_the_root_to_trust()
    {
        using var board = Build("sdm845-db845c.dtb", o => o with { FirmwareDirectory = TestPaths.FirmwareDirectory });
        var venus = Peripheral(Boot(board), "venus");
        Assert.Equal("failed", venus.State);
        Assert.Contains("TrustZone refused INIT_IMAGE", venus.Reason, StringComparison.Ordinal);
        Assert.Contains("--trust-root " + VenusRoot, venus.Reason, StringComparison.Ordinal);
    }
}

using Qtz.DeviceTree;
using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Model;

namespace Qtz.Acceptance.Tests.DeviceTree;

public class DtOverlayAcceptanceTests
{
    [RequiresToolFact("fdtoverlay")]
    public void Overlay_gives_the_same_tree_as_fdtoverlay()
    {
        using var temp = new TempDirectory();
        var overlay = DtFixtures.TestOverlay("generic.dtbo");
        var theirs = ExternalTool.Run("fdtoverlay", ["-i", DtFixtures.Ride, "-o", temp.File("theirs.dtb"), overlay]);
        Assert.Equal(0, theirs.ExitCode);
        var ours = QtzBinary.Run("dt", "overlay", DtFixtures.Ride, overlay, "-o", temp.File("ours.dtb"));
        Assert.Equal(0, ours.ExitCode);
        Assert.Equal(DtTree.Load(temp.File("theirs.dtb")).ToDts(), DtTree.Load(temp.File("ours.dtb")).ToDts());
    }

    [Fact]
    public void Shipped_el2_overlay_applies_to_the_shipped_ride_dtb_and_the_result_passes_the_check()
    {
        using var temp = new TempDirectory();
        var output = temp.File("el2.dtb");
        var run = QtzBinary.Run("dt", "overlay", DtFixtures.Ride, "shipped:sa8775p-el2", "-o", output);
        Assert.Equal(0, run.ExitCode);
        Assert.Single(DtTree.Load(output).GetNode(DtFixtures.Adsp).GetIommus());
        var check = QtzBinary.Run("dt", "check", output);
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public void Strict_mode_fails_like_fdtoverlay_with_exit_2_and_one_line()
    {
        using var temp = new TempDirectory();
        var run = QtzBinary.Run("dt", "overlay", "--strict", DtFixtures.Ride, "shipped:sa8775p-el2", "-o", temp.File("x.dtb"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("FDT_ERR_NOTFOUND", run.StdErr);
        Assert.Single(run.StdErr.TrimEnd().Split('\n'));
        Assert.False(File.Exists(temp.File("x.dtb")));
    }
}

using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Overlays;

namespace Qtz.DeviceTree.Tests.Overlays;

public class FdtOverlayComparisonTests
{
    [RequiresToolTheory("fdtoverlay")]
    [MemberData(nameof(RealDtbs.All), MemberType = typeof(RealDtbs))]
    public void Overlay_result_equals_fdtoverlays_for_every_real_dtb(string name)
    {
        using var temp = new TempDirectory();
        var overlay = OverlayFiles.PathOf("generic.dtbo");
        // Applied twice: the second run shifts phandles past the first's and replaces its __symbols__.
        var expected = OverlayFiles.FdtOverlay(temp, RealDtbs.Load(name), out var error, overlay, overlay);
        Assert.True(expected is not null, error);
        var ours = RealDtbs.Load(name);
        DtOverlay.Apply(ours, OverlayFiles.Load("generic.dtbo"), OverlayFiles.Load("generic.dtbo"));
        Assert.Equal(expected.ToDts(), ours.ToDts());
    }

    [RequiresToolFact("fdtoverlay")]
    public void Label_references_resolve_through_the_base_symbols_as_fdtoverlay_does()
    {
        using var temp = new TempDirectory();
        var expected = OverlayFiles.FdtOverlay(temp, OverlayFiles.RideWithSymbols(), out var error, OverlayFiles.PathOf("labels.dtbo"));
        Assert.True(expected is not null, error);
        var ours = OverlayFiles.RideWithSymbols();
        DtOverlay.Apply(ours, OverlayFiles.Load("labels.dtbo"));
        Assert.Equal(expected.ToDts(), ours.ToDts());
    }

    [RequiresToolFact("fdtoverlay")]
    public void Fdtoverlay_cannot_apply_the_shipped_el2_overlay_to_the_shipped_dtb_but_qtz_can()
    {
        using var temp = new TempDirectory();
        var el2 = temp.File("el2.dtbo");
        File.WriteAllBytes(el2, ShippedOverlays.Blob("sa8775p-el2"));
        var theirs = OverlayFiles.FdtOverlay(temp, RealDtbs.Load("sa8775p-ride.dtb"), out var error, el2);
        Assert.Null(theirs);
        Assert.Contains("FDT_ERR_NOTFOUND", error);

        var ours = RealDtbs.Load("sa8775p-ride.dtb");
        DtOverlay.Apply(ours, ShippedOverlays.Load("sa8775p-el2"));
        Assert.Single(ours.GetNode("/soc@0/remoteproc@30000000").GetIommus());
    }

    [RequiresToolFact("fdtoverlay")]
    public void Path_based_el2_overlay_gives_the_tree_fdtoverlay_gives_for_the_label_based_one()
    {
        using var temp = new TempDirectory();
        var expected = OverlayFiles.FdtOverlay(temp, OverlayFiles.RideWithSymbols(), out var error, OverlayFiles.PathOf("el2-labels.dtbo"));
        Assert.True(expected is not null, error);
        expected.Root.RemoveChild(expected.Root.FindChild("__symbols__")!);
        var ours = RealDtbs.Load("sa8775p-ride.dtb");
        DtOverlay.Apply(ours, ShippedOverlays.Load("sa8775p-el2"));
        Assert.Equal(expected.ToDts(), ours.ToDts());
    }

    [RequiresToolTheory("dtc")]
    [InlineData("generic")]
    [InlineData("labels")]
    [InlineData("el2-labels")]
    public void Committed_test_overlay_blobs_are_what_dtc_builds_from_their_sources(string name)
    {
        using var temp = new TempDirectory();
        var output = temp.File(name + ".dtbo");
        var run = ExternalTool.Run("dtc", ["-q", "-@", "-I", "dts", "-O", "dtb", "-o", output, OverlayFiles.PathOf(name + ".dtso")]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadAllBytes(output), File.ReadAllBytes(OverlayFiles.PathOf(name + ".dtbo")));
    }

    [RequiresToolTheory("dtc")]
    [InlineData("sa8775p-el2")]
    [InlineData("sa8775p-devmem")]
    public void Shipped_overlay_blobs_are_what_dtc_builds_from_the_shipped_sources(string name)
    {
        using var temp = new TempDirectory();
        var source = temp.File(name + ".dtso");
        var output = temp.File(name + ".dtbo");
        File.WriteAllText(source, ShippedOverlays.Source(name));
        var run = ExternalTool.Run("dtc", ["-q", "-I", "dts", "-O", "dtb", "-o", output, source]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadAllBytes(output), ShippedOverlays.Blob(name));
    }
}

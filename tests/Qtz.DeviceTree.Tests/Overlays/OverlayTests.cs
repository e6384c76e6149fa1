using Xunit;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;
using Qtz.DeviceTree.Properties;

namespace Qtz.DeviceTree.Tests.Overlays;

public class OverlayTests
{
    private static readonly (string Path, uint Sid, uint Mask)[] El2Streams =
    [
        ("/soc@0/remoteproc@30000000", 0x3000, 0x0),
        ("/soc@0/remoteproc@26300000", 0x21c0, 0x400),
        ("/soc@0/remoteproc@2a300000", 0x29c0, 0x400),
        ("/soc@0/remoteproc@20c00000", 0x38a0, 0x0),
        ("/soc@0/remoteproc@21c00000", 0x38c0, 0x0),
    ];

    [Fact]
    public void Shipped_el2_overlay_gives_each_dsp_its_stream_on_apps_smmu()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        DtOverlay.Apply(tree, ShippedOverlays.Load("sa8775p-el2"));
        foreach (var (path, sid, mask) in El2Streams)
        {
            var iommu = Assert.Single(tree.GetNode(path).GetIommus());
            Assert.Equal("/soc@0/iommu@15000000", iommu.Target.Path);
            Assert.Equal([sid, mask], iommu.Args);
        }
    }

    [Fact]
    public void Shipped_devmem_overlay_carries_the_seeds_adsp_table()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        DtOverlay.Apply(tree, ShippedOverlays.Load("sa8775p-devmem"));
        var adsp = tree.GetNode("/soc@0/remoteproc@30000000").GetDevmem();
        Assert.Equal(18, adsp.Count);
        Assert.Equal(new DevmemEntry(0x110000, 0x110000, 0x4000, IommuProt.Read), adsp[0]);
        Assert.Equal(new DevmemEntry(0x184000, 0x184000, 0x1000, IommuProt.Read), adsp[^1]);
        foreach (var (path, _, _) in El2Streams)
            Assert.NotEmpty(tree.GetNode(path).GetDevmem());
    }

    [Fact]
    public void Strict_application_fails_on_a_path_named_fixup_as_fdtoverlay_does()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        var error = Assert.Throws<DtOverlayException>(() => DtOverlay.ApplyStrict(tree, ShippedOverlays.Load("sa8775p-el2")));
        Assert.Contains("/soc@0/iommu@15000000", error.Message);
        Assert.Contains("FDT_ERR_NOTFOUND", error.Message);
    }

    [Fact]
    public void A_path_reference_to_a_node_without_phandle_gives_it_a_fresh_one()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        var max = tree.MaxPhandle;
        var overlay = PathOverlay("/soc@0/remoteproc@30000000", "/cpus");
        DtOverlay.Apply(tree, overlay);
        Assert.Equal(max + 1, tree.GetNode("/cpus").Phandle);
        Assert.Equal(max + 1, tree.GetNode("/soc@0/remoteproc@30000000").GetProperty("qtz,ref").AsU32());
    }

    [Fact]
    public void A_label_missing_from_the_base_is_a_typed_error_naming_it()
    {
        var overlay = PathOverlay("/", "/cpus");
        overlay.Root.FindChild("__fixups__")!.RemoveProperty("/cpus");
        overlay.Root.FindChild("__fixups__")!.SetProperty("no_such_label", DtValues.String("/fragment@0/__overlay__:qtz,ref:0"));
        var error = Assert.Throws<DtOverlayException>(() => DtOverlay.Apply(RealDtbs.Load("sa8775p-ride.dtb"), overlay));
        Assert.Contains("no_such_label", error.Message);
    }

    [Fact]
    public void A_target_path_that_is_not_in_the_base_is_a_typed_error()
    {
        var error = Assert.Throws<DtOverlayException>(() => DtOverlay.Apply(RealDtbs.Load("sa8775p-ride.dtb"), PathOverlay("/nowhere", "/cpus")));
        Assert.Contains("/nowhere", error.Message);
    }

    [Fact]
    public void A_fixup_offset_past_the_property_is_a_typed_error()
    {
        var overlay = PathOverlay("/", "/cpus");
        overlay.Root.FindChild("__fixups__")!.SetProperty("/cpus", DtValues.String("/fragment@0/__overlay__:qtz,ref:4"));
        Assert.Throws<DtOverlayException>(() => DtOverlay.Apply(RealDtbs.Load("sa8775p-ride.dtb"), overlay));
    }

    [Fact]
    public void Applying_does_not_change_the_overlay_tree()
    {
        var overlay = ShippedOverlays.Load("sa8775p-el2");
        var before = overlay.ToDts();
        DtOverlay.Apply(RealDtbs.Load("sa8775p-ride.dtb"), overlay);
        Assert.Equal(before, overlay.ToDts());
    }

    /// <summary>An overlay setting qtz,ref = &amp;{refPath} on targetPath, as dtc compiles it.</summary>
    private static DtTree PathOverlay(string targetPath, string refPath)
    {
        var overlay = new DtTree();
        var fragment = overlay.Root.AddChild("fragment@0");
        fragment.SetString("target-path", targetPath);
        fragment.AddChild("__overlay__").SetCells("qtz,ref", 0xffffffff);
        overlay.Root.AddChild("__fixups__").SetProperty(refPath, DtValues.String("/fragment@0/__overlay__:qtz,ref:0"));
        return overlay;
    }
}

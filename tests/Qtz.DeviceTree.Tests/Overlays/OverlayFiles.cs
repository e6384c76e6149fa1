using Qtz.TestSupport;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Tests.Overlays;

/// <summary>Test overlays under tests/data/dtb/overlays (sources and dtc-built blobs) and fdtoverlay runs.</summary>
internal static class OverlayFiles
{
    public static string PathOf(string name) => Path.Combine(RealDtbs.Directory, "overlays", name);

    public static DtTree Load(string name) => DtTree.Load(PathOf(name));

    /// <summary>sa8775p-ride.dtb plus a __symbols__ node naming apps_smmu, so label overlays can apply.</summary>
    public static DtTree RideWithSymbols()
    {
        var tree = RealDtbs.Load("sa8775p-ride.dtb");
        tree.Root.AddChild("__symbols__").SetString("apps_smmu", "/soc@0/iommu@15000000");
        return tree;
    }

    /// <summary>Runs fdtoverlay; null when it failed (its stderr is returned in <paramref name="error"/>).</summary>
    public static DtTree? FdtOverlay(TempDirectory temp, DtTree baseTree, out string error, params string[] overlayPaths)
    {
        var basePath = temp.File("base.dtb");
        var outPath = temp.File("out.dtb");
        File.WriteAllBytes(basePath, baseTree.ToBlob());
        var run = ExternalTool.Run("fdtoverlay", ["-i", basePath, "-o", outPath, .. overlayPaths]);
        error = run.StdErr + run.StdOut;
        return run.ExitCode == 0 ? DtTree.Load(outPath) : null;
    }
}

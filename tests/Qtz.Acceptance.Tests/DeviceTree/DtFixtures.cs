using Qtz.DeviceTree;
using Qtz.TestSupport;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Acceptance.Tests.DeviceTree;

internal static class DtFixtures
{
    public const string Adsp = "/soc@0/remoteproc@30000000";

    public static string Dtb(string name) => Path.Combine(TestPaths.ProjectDtbDirectory, name);

    public static string Ride => Dtb("sa8775p-ride.dtb");

    public static string[] AllDtbs => Directory.GetFiles(TestPaths.ProjectDtbDirectory, "*.dtb").Order(StringComparer.Ordinal).ToArray();

    public static string TestOverlay(string name) => Path.Combine(TestPaths.ProjectDtbDirectory, "overlays", name);

    /// <summary>Writes ride + EL2 + devmem overlays with <paramref name="breakIt"/> applied to the ADSP node.</summary>
    public static string WriteBrokenRide(TempDirectory temp, string name, Action<DtNode> breakIt)
    {
        var tree = DtTree.Load(Ride);
        DtOverlay.Apply(tree, ShippedOverlays.Load("sa8775p-el2"), ShippedOverlays.Load("sa8775p-devmem"));
        breakIt(tree.GetNode(Adsp));
        var path = temp.File(name + ".dtb");
        File.WriteAllBytes(path, tree.ToBlob());
        return path;
    }
}

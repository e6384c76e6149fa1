using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Tests;

/// <summary>The real Qualcomm DTBs copied into tests/data/dtb (always present in the checkout).</summary>
public static class RealDtbs
{
    public static string Directory => TestPaths.ProjectDtbDirectory;

    public static string PathOf(string name) => System.IO.Path.Combine(Directory, name);

    public static IEnumerable<string> Names =>
        System.IO.Directory.GetFiles(Directory, "*.dtb").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names) data.Add(name);
        return data;
    }

    public static DtTree Load(string name) => DtTree.Load(PathOf(name));

    public static string GoldenDts(string dtbName) =>
        System.IO.Path.Combine(Directory, "golden", System.IO.Path.ChangeExtension(dtbName, ".dts"));
}

using BenchmarkDotNet.Attributes;
using Qtz.DeviceTree;
using Qtz.DeviceTree.Bindings;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Benchmarks.DeviceTree;

/// <summary>
/// In-process cost of the device-tree work over the 24 real DTBs in tests/data/dtb. The end-to-end
/// comparison with dtc (process start included) is `qtz dt dump` vs a shell loop of dtc, measured
/// with hyperfine (numbers in the README's device-tree section).
/// </summary>
[MemoryDiagnoser]
public class DeviceTreeBenchmarks
{
    private byte[][] _blobs = [];
    private DtTree[] _trees = [];
    private DtTree _ride = new();

    [GlobalSetup]
    public void Setup()
    {
        var dir = Path.Combine(FindRoot(), "tests", "data", "dtb");
        _blobs = Directory.GetFiles(dir, "*.dtb").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        _trees = _blobs.Select(b => DtTree.Parse(b)).ToArray();
        _ride = DtTree.Load(Path.Combine(dir, "sa8775p-ride.dtb"));
    }

    [Benchmark(Description = "parse all 24 DTBs")]
    public int ParseAll() => _blobs.Sum(b => DtTree.Parse(b).Root.Children.Count);

    [Benchmark(Description = "print all 24 as DTS (dtc -O dts)")]
    public int PrintAll() => _trees.Sum(t => t.ToDts().Length);

    [Benchmark(Description = "write all 24 as DTB")]
    public int WriteAll() => _trees.Sum(t => t.ToBlob().Length);

    [Benchmark(Description = "apply EL2 + devmem overlays to sa8775p-ride")]
    public int ApplyShippedOverlays()
    {
        var tree = _ride.Clone();
        DtOverlay.Apply(tree, ShippedOverlays.Load("sa8775p-el2"), ShippedOverlays.Load("sa8775p-devmem"));
        return tree.Root.Children.Count;
    }

    [Benchmark(Description = "check PAS bindings of sa8775p-ride")]
    public bool CheckRide() => PasBindingChecker.Check(_ride).Passed;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Qtz.slnx"))) return dir.FullName;
        throw new InvalidOperationException("run the benchmarks from inside the checkout (no Qtz.slnx found above)");
    }
}

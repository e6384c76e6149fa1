using BenchmarkDotNet.Attributes;
using Qtz.Kernel;
using Qtz.Kernel.Iommu;
using Qtz.Bench;
using Qtz.Soc;
using Qtz.Soc.Addressing;

namespace Qtz.Benchmarks.Iommu;

/// <summary>
/// iommu_map + iommu_unmap of a carveout-sized region (30 MiB, the SA8775p ADSP carveout) and of 1 GiB,
/// with the largest blocks alignment allows ("Blocks": iova and pa share their offset in 1 GiB) and
/// with 4 KiB pages forced ("Pages": pa offset by 4 KiB inside every 2 MiB).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DescriptorWritesConfig))]
public class MapUnmapBenchmarks
{
    private IommuBenchBoard _board = null!;

    [Params(30UL << 20, 1UL << 30)]
    public ulong Size { get; set; }

    [Params("Blocks", "Pages")]
    public string Layout { get; set; } = "Blocks";

    [GlobalSetup]
    public void Setup() => _board = new IommuBenchBoard();

    [Benchmark]
    public ulong MapThenUnmap()
    {
        var iova = new Iova(0x4_0020_0000);
        var pa = new PhysAddr(Layout == "Blocks" ? 0x2_0020_0000UL : 0x2_0020_1000UL);
        var before = _board.Domain.PageTable.DescriptorWrites;
        _board.Domain.Map(iova, pa, Size, IommuProt.ReadWrite | IommuProt.Cache).ThrowIfError("map");
        DescriptorWritesColumn.Record(Size, Layout, _board.Domain.PageTable.DescriptorWrites - before);
        var unmapped = _board.Domain.Unmap(iova, Size);
        if (unmapped != Size) throw new InvalidOperationException($"unmapped 0x{unmapped:x} of 0x{Size:x}");
        return unmapped;
    }
}

using Xunit;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Tests.Iommu;

/// <summary>
/// The io-pgtable-arm selftests (spec/iommu.md §A1 "Selftests") for a 4 KiB-granule stage-1 table,
/// over the IAS × OAS matrix with OAS ≥ IAS, against the real page table in simulated memory.
/// </summary>
public class IoPgTableSelftests
{
    private const ulong SZ_1G = 1UL << 30;
    private const IommuProt SelftestProt = IommuProt.Read | IommuProt.Write | IommuProt.NoExec | IommuProt.Cache;
    private static readonly int[] AddressSizes = [32, 36, 40, 42, 44, 48];

    public static TheoryData<int, int> Matrix()
    {
        var data = new TheoryData<int, int>();
        foreach (var ias in AddressSizes)
        {
            foreach (var oas in AddressSizes.Where(o => o >= ias)) data.Add(ias, oas);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void An_empty_table_translates_nothing(int ias, int oas)
    {
        var (table, _, _) = NewTable(ias, oas);
        Assert.Equal(0UL, table.IovaToPhys(42));
        Assert.Equal(0UL, table.IovaToPhys(SZ_1G + 42));
        Assert.Equal(0UL, table.IovaToPhys(2 * SZ_1G + 42));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Every_page_size_maps_refuses_a_second_map_and_translates(int ias, int oas)
    {
        var (table, _, tlb) = NewTable(ias, oas);
        foreach (var (iova, size) in Slots(table))
        {
            Assert.Equal(Errno.None, table.MapPages(iova, iova, size, 1, SelftestProt, out var mapped));
            Assert.Equal(size, mapped);
            Assert.NotEqual(Errno.None, table.MapPages(iova, iova + size, size, 1, SelftestProt, out _));
            Assert.Equal(iova + 42, table.IovaToPhys(iova + 42));
        }

        Assert.All(tlb.Flushes, f => Assert.NotEqual(0UL, table.Config.PageSizeBitmap & f));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Full_unmap_returns_the_size_and_a_write_only_remap_translates(int ias, int oas)
    {
        var (table, _, tlb) = NewTable(ias, oas);
        foreach (var (iova, size) in Slots(table))
            Assert.Equal(Errno.None, table.MapPages(iova, iova, size, 1, SelftestProt, out _));

        foreach (var (iova, size) in Slots(table))
        {
            Assert.Equal(size, table.UnmapPages(iova, size, 1));
            Assert.Equal(0UL, table.IovaToPhys(iova + 42));
            Assert.Equal(Errno.None, table.MapPages(iova, iova, size, 1, IommuProt.Write, out var mapped));
            Assert.Equal(size, mapped);
            Assert.Equal(iova + 42, table.IovaToPhys(iova + 42));
        }

        Assert.Contains(tlb.Pages, p => p.Granule == SZ_1G);
        Assert.All(tlb.Flushes, f => Assert.NotEqual(0UL, table.Config.PageSizeBitmap & f));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void The_largest_page_maps_and_unmaps_at_the_top_of_the_input_range(int ias, int oas)
    {
        var (table, _, _) = NewTable(ias, oas);
        var size = SZ_1G;
        var iova = (1UL << ias) - size;
        Assert.Equal(Errno.None, table.MapPages(iova, iova, size, 1, SelftestProt, out var mapped));
        Assert.Equal(size, mapped);
        Assert.Equal(iova + 42, table.IovaToPhys(iova + 42));
        Assert.Equal(size, table.UnmapPages(iova, size, 1));
        Assert.Equal(0UL, table.IovaToPhys(iova + 42));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Freeing_the_table_returns_every_page(int ias, int oas)
    {
        var (table, pages, _) = NewTable(ias, oas);
        foreach (var (iova, size) in Slots(table))
            table.MapPages(iova, iova, size, 1, SelftestProt, out _);
        Assert.True(pages.AllocatedPages > 1);
        table.Free();
        Assert.Equal(0, pages.AllocatedPages);
    }

    /// <summary>The j-th supported page size goes in the j-th 1 GiB slot, as in the selftest.</summary>
    private static IEnumerable<(ulong Iova, ulong Size)> Slots(ArmLpaeS1PageTable table)
    {
        ulong slot = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            var size = 1UL << bit;
            if ((table.Config.PageSizeBitmap & size) == 0) continue;
            yield return (slot * SZ_1G, size);
            slot++;
        }
    }

    private static (ArmLpaeS1PageTable Table, PageAllocator Pages, RecordingTlb Tlb) NewTable(int ias, int oas)
    {
        var bus = new SystemBus(new VirtualClock());
        var ram = new PhysRange(new PhysAddr(0x8000_0000), 16UL << 20);
        bus.AddRam("ddr", ram.Base, ram.Size);
        var pages = new PageAllocator(bus, BusMaster.LinuxEl2, ram);
        var tlb = new RecordingTlb();
        return (new ArmLpaeS1PageTable(new IoPgTableConfig(ias, oas), pages, tlb), pages, tlb);
    }
}

/// <summary>The selftest's dummy flush ops: records what io-pgtable asked for.</summary>
internal sealed class RecordingTlb : IIoTlbOps
{
    public List<(ulong Iova, ulong Granule)> Pages { get; } = [];

    public List<ulong> Flushes { get; } = [];

    public int Syncs { get; private set; }

    public void AddPage(ulong iova, ulong granule)
    {
        Pages.Add((iova, granule));
        Flushes.Add(granule);
    }

    public void FlushWalk(ulong iova, ulong size, ulong granule) => Flushes.Add(granule);

    public void Sync() => Syncs++;
}

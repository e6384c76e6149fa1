using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Tests.Iommu;

/// <summary>iommu_map / iommu_unmap / iommu_iova_to_phys error contract (spec/iommu.md §A2).</summary>
public class IommuMapContractTests
{
    private const ulong SZ_4K = 0x1000, SZ_2M = 0x200000, SZ_1G = 1UL << 30;
    private readonly IommuTestBoard _board = new();

    [Theory]
    [InlineData(0x1001UL, 0x0UL, 0x1000UL)]
    [InlineData(0x1000UL, 0x800UL, 0x1000UL)]
    [InlineData(0x1000UL, 0x0UL, 0x1800UL)]
    public void Misaligned_iova_pa_or_size_is_EINVAL_and_maps_nothing(ulong iova, ulong pa, ulong size)
    {
        var domain = _board.AttachedDomain();
        Assert.Equal(Errno.EINVAL, domain.Map(new Iova(iova), IommuTestBoard.Data(pa), size, IommuProt.ReadWrite));
        Assert.Equal(0UL, domain.IovaToPhys(new Iova(iova & ~0xFFFUL)).Value);
        Assert.Contains(_board.Log, l => l.StartsWith("unaligned:"));
    }

    [Fact]
    public void Zero_size_is_EINVAL()
    {
        Assert.Equal(Errno.EINVAL, _board.AttachedDomain().Map(new Iova(0x1000), IommuTestBoard.Data(0), 0, IommuProt.Read));
    }

    [Theory]
    [InlineData(IommuProt.None)]
    [InlineData(IommuProt.Cache | IommuProt.NoExec)]
    public void Prot_without_read_or_write_is_EINVAL(IommuProt prot)
    {
        Assert.Equal(Errno.EINVAL, _board.AttachedDomain().Map(new Iova(0x1000), IommuTestBoard.Data(0), SZ_4K, prot));
    }

    [Fact]
    public void An_iova_beyond_the_input_address_size_is_ERANGE()
    {
        var domain = _board.AttachedDomain();
        Assert.Equal(Errno.ERANGE, domain.Map(new Iova(1UL << 48), IommuTestBoard.Data(0), SZ_4K, IommuProt.Read));
    }

    [Fact]
    public void A_range_running_past_the_input_address_size_is_ERANGE_and_undone()
    {
        var domain = _board.AttachedDomain();
        var before = _board.Pages.AllocatedPages;
        var top = (1UL << 48) - SZ_4K;
        Assert.Equal(Errno.ERANGE, domain.Map(new Iova(top), IommuTestBoard.Data(0), 2 * SZ_4K, IommuProt.Read));
        Assert.Equal(0UL, domain.IovaToPhys(new Iova(top)).Value);
        Assert.True(_board.Pages.AllocatedPages >= before); // tables stay (as in Linux), mappings do not
    }

    [Fact]
    public void A_physical_address_beyond_the_output_size_is_ERANGE()
    {
        var board = new IommuTestBoard(new SmmuOptions { OutputAddressBits = 36 });
        var domain = board.AttachedDomain();
        Assert.Equal(Errno.ERANGE, domain.Map(new Iova(0), new PhysAddr(1UL << 36), SZ_4K, IommuProt.Read));
        Assert.Equal(Errno.ERANGE, domain.Map(new Iova(0), new PhysAddr((1UL << 36) - SZ_4K), 2 * SZ_4K, IommuProt.Read));
        Assert.Equal(0UL, domain.IovaToPhys(new Iova(0)).Value);
    }

    [Fact]
    public void A_range_that_wraps_the_address_space_is_ERANGE()
    {
        var domain = _board.AttachedDomain();
        Assert.Equal(Errno.ERANGE, domain.Map(new Iova(ulong.MaxValue - 0xFFF), IommuTestBoard.Data(0), 2 * SZ_4K, IommuProt.Read));
    }

    [Theory]
    [InlineData(0x0UL, 0x1000UL, 0x0UL, 0x1000UL)]            // same page
    [InlineData(0x0UL, 0x200000UL, 0x1000UL, 0x1000UL)]       // page inside a 2M block
    [InlineData(0x1000UL, 0x1000UL, 0x0UL, 0x200000UL)]       // block over a live page
    [InlineData(0x0UL, 0x40000000UL, 0x3FF000UL, 0x2000UL)]   // inside a 1G block
    public void Mapping_over_an_existing_mapping_is_EEXIST(ulong firstIova, ulong firstSize, ulong secondIova, ulong secondSize)
    {
        var domain = _board.AttachedDomain();
        Assert.Equal(Errno.None, domain.Map(new Iova(firstIova), IommuTestBoard.Data(firstIova), firstSize, IommuProt.ReadWrite));
        Assert.Equal(Errno.EEXIST, domain.Map(new Iova(secondIova), IommuTestBoard.Data(SZ_1G + secondIova), secondSize, IommuProt.ReadWrite));
        Assert.Equal(IommuTestBoard.Data(firstIova).Value, domain.IovaToPhys(new Iova(firstIova)).Value);
    }

    [Fact]
    public void A_partially_overlapping_map_is_undone_completely()
    {
        var domain = _board.AttachedDomain();
        Assert.Equal(Errno.None, domain.Map(new Iova(0x600000), IommuTestBoard.Data(0x600000), SZ_4K, IommuProt.Read));
        Assert.Equal(Errno.EEXIST, domain.Map(new Iova(0x1FF000), IommuTestBoard.Data(0x1FF000), 0x402000, IommuProt.ReadWrite));
        for (var iova = 0x1FF000UL; iova < 0x601000; iova += SZ_4K)
        {
            var expected = iova == 0x600000 ? IommuTestBoard.Data(0x600000).Value : 0;
            Assert.Equal(expected, domain.IovaToPhys(new Iova(iova)).Value);
        }
    }

    [Fact]
    public void Running_out_of_table_pages_is_ENOMEM_and_undone()
    {
        var board = new IommuTestBoard(tablePoolSize: 4 * SZ_4K);
        var domain = board.AttachedDomain();
        // root + L1 + L2 + one L3 fit; the second 2M region's L3 table does not
        Assert.Equal(Errno.ENOMEM, domain.Map(new Iova(0x1000), IommuTestBoard.Data(0), 0x400000, IommuProt.Read));
        Assert.Equal(0UL, domain.IovaToPhys(new Iova(0x1000)).Value);
    }

    [Fact]
    public void Unmap_returns_the_bytes_unmapped_and_translation_is_gone()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(0x1FF000), IommuTestBoard.Data(0x1FF000), 0x402000, IommuProt.ReadWrite).ThrowIfError("map");
        Assert.Equal(0x402000UL, domain.Unmap(new Iova(0x1FF000), 0x402000));
        Assert.Equal(0UL, domain.IovaToPhys(new Iova(0x300000)).Value);
    }

    [Fact]
    public void Unmap_stops_at_a_hole()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(0), IommuTestBoard.Data(0), 3 * SZ_4K, IommuProt.ReadWrite).ThrowIfError("map");
        Assert.Equal(3 * SZ_4K, domain.Unmap(new Iova(0), 8 * SZ_4K));
        Assert.Equal(0UL, domain.Unmap(new Iova(0), SZ_4K));
    }

    [Fact]
    public void Unmap_refuses_to_split_a_block()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(SZ_2M), IommuTestBoard.Data(SZ_2M), SZ_2M, IommuProt.ReadWrite).ThrowIfError("map");
        Assert.Equal(0UL, domain.Unmap(new Iova(SZ_2M + SZ_4K), SZ_4K));
        Assert.Equal(0UL, domain.Unmap(new Iova(SZ_2M), SZ_4K));
        Assert.Equal(IommuTestBoard.Data(SZ_2M + SZ_4K).Value, domain.IovaToPhys(new Iova(SZ_2M + SZ_4K)).Value);
        Assert.Equal(SZ_2M, domain.Unmap(new Iova(SZ_2M), SZ_2M));
    }

    [Fact]
    public void Unmapping_2M_that_was_mapped_as_4K_pages_works_in_one_call_and_frees_the_table()
    {
        var domain = _board.AttachedDomain();
        // different offsets inside 2M force 512 4K pages
        domain.Map(new Iova(SZ_2M), IommuTestBoard.Data(SZ_4K), SZ_2M, IommuProt.ReadWrite).ThrowIfError("map");
        var pages = _board.Pages.AllocatedPages;
        Assert.Equal(SZ_2M, domain.Unmap(new Iova(SZ_2M), SZ_2M));
        Assert.Equal(pages - 1, _board.Pages.AllocatedPages);
    }

    [Fact]
    public void A_misaligned_unmap_unmaps_nothing()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(0), IommuTestBoard.Data(0), SZ_4K, IommuProt.ReadWrite).ThrowIfError("map");
        Assert.Equal(0UL, domain.Unmap(new Iova(0x800), SZ_4K));
        Assert.Equal(0UL, domain.Unmap(new Iova(0), 0x800));
        Assert.NotEqual(0UL, domain.IovaToPhys(new Iova(0)).Value);
    }

    [Fact]
    public void A_block_may_replace_an_empty_leftover_table()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(0), IommuTestBoard.Data(0), SZ_4K, IommuProt.ReadWrite).ThrowIfError("map");
        Assert.Equal(SZ_4K, domain.Unmap(new Iova(0), SZ_4K));
        var pages = _board.Pages.AllocatedPages;
        Assert.Equal(Errno.None, domain.Map(new Iova(0), IommuTestBoard.Data(0), SZ_2M, IommuProt.ReadWrite));
        Assert.Equal(pages - 1, _board.Pages.AllocatedPages);
    }

    [Fact]
    public void Freeing_a_domain_returns_every_page_table_page()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(0x1FF000), IommuTestBoard.Data(0x1FF000), 0x402000, IommuProt.ReadWrite).ThrowIfError("map");
        domain.Map(new Iova(5 * SZ_1G), IommuTestBoard.Data(SZ_1G), SZ_1G, IommuProt.Read).ThrowIfError("map");
        domain.Free();
        Assert.Equal(0, _board.Pages.AllocatedPages);
        Assert.Throws<ObjectDisposedException>(() => domain.Map(new Iova(0), IommuTestBoard.Data(0), SZ_4K, IommuProt.Read));
    }

    [Fact]
    public void Map_and_unmap_are_reported_for_traces()
    {
        var domain = _board.AttachedDomain();
        var events = new List<IommuMapEvent>();
        domain.Changed += events.Add;
        domain.Map(new Iova(0), IommuTestBoard.Data(0), SZ_4K, IommuProt.ReadWrite);
        domain.Unmap(new Iova(0), SZ_4K);
        Assert.Equal([false, true], events.Select(e => e.IsUnmap));
        Assert.Equal(SZ_4K, events[1].Bytes);
    }
}

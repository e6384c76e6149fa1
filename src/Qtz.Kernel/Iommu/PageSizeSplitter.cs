using System.Numerics;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.Iommu;

/// <summary>One run the IOMMU core hands to io-pgtable: <see cref="Count"/> pages of <see cref="PageSize"/>.</summary>
public readonly record struct PageRun(ulong PageSize, ulong Count)
{
    public ulong Bytes => PageSize * Count;
}

/// <summary>
/// iommu_pgsize (spec/iommu.md §A2): the largest supported page size that both the remaining size and
/// the alignment of (iova | paddr) allow; the run is cut at the next boundary of the next larger page
/// size when iova and paddr share their offset in it and the rest still holds one such page, so the
/// following call can use the larger size.
/// </summary>
public static class PageSizeSplitter
{
    public static PageRun Next(ulong pageSizeBitmap, ulong iova, ulong paddr, ulong size)
    {
        if (size == 0) throw new ArgumentOutOfRangeException(nameof(size), "nothing left to split");
        var addrMerge = iova | paddr;
        var sizes = pageSizeBitmap & LowMask(BitOperations.Log2(size));
        if (addrMerge != 0) sizes &= LowMask(BitOperations.TrailingZeroCount(addrMerge));
        if (sizes == 0)
            throw new ArgumentException($"no page size in 0x{pageSizeBitmap:x} fits iova 0x{iova:x} pa 0x{paddr:x} size 0x{size:x} (caller must check min_pagesz alignment)", nameof(size));

        var index = BitOperations.Log2(sizes);
        var pageSize = 1UL << index;
        var larger = pageSizeBitmap & ~LowMask(index);
        if (larger != 0)
        {
            var next = 1UL << BitOperations.TrailingZeroCount(larger);
            if (((iova ^ paddr) & (next - 1)) == 0)
            {
                var offset = next - (addrMerge & (next - 1));
                if (offset <= size && next <= size - offset) size = offset;
            }
        }

        return new PageRun(pageSize, size >> index);
    }

    /// <summary>GENMASK(bit, 0).</summary>
    private static ulong LowMask(int bit) => bit >= 63 ? ulong.MaxValue : (2UL << bit) - 1;

    /// <summary>Every run for a whole range, as the core would issue them when nothing fails (for tests and tools).</summary>
    public static IEnumerable<(ulong Iova, ulong Paddr, PageRun Run)> Split(ulong pageSizeBitmap, ulong iova, ulong paddr, ulong size)
    {
        while (size != 0)
        {
            var run = Next(pageSizeBitmap, iova, paddr, size);
            yield return (iova, paddr, run);
            iova += run.Bytes;
            paddr += run.Bytes;
            size -= run.Bytes;
        }
    }
}

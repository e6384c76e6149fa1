using FsCheck;
using FsCheck.Fluent;
using Qtz.Kernel.Iommu;
using Xunit;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.Tests.Iommu;

public class PageSizeSplitterTests
{
    private const ulong Bitmap = IoPgTableConfig.Granule4KBitmap;

    [Fact]
    public void The_spec_worked_example_splits_into_4K_then_two_2M_then_4K()
    {
        var runs = PageSizeSplitter.Split(Bitmap, 0x1FF000, 0x1FF000, 0x402000).Select(r => r.Run).ToArray();
        Assert.Equal([new PageRun(0x1000, 1), new PageRun(0x200000, 2), new PageRun(0x1000, 1)], runs);
    }

    [Fact]
    public void A_1G_aligned_gigabyte_is_one_block()
    {
        Assert.Equal(new PageRun(1UL << 30, 1), PageSizeSplitter.Next(Bitmap, 1UL << 30, 3UL << 30, 1UL << 30));
    }

    [Fact]
    public void Different_offsets_inside_2M_force_4K_pages()
    {
        Assert.Equal(new PageRun(0x1000, 1024), PageSizeSplitter.Next(Bitmap, 0x200000, 0x201000, 0x400000));
    }

    [Fact]
    public void The_splitter_never_emits_a_misaligned_or_oversized_block()
    {
        var gen =
            from iovaPages in Gen.Choose(0, 1 << 20)
            from paPages in Gen.OneOf(Gen.Constant(-1), Gen.Choose(0, 1 << 20))
            from sizePages in Gen.Choose(1, 1 << 19)
            from scale in Gen.Elements(1UL, 512UL)
            select (Iova: (ulong)iovaPages * 4096 * scale, Pa: paPages < 0 ? (ulong)iovaPages * 4096 * scale + (5UL << 30) : (ulong)paPages * 4096, Size: (ulong)sizePages * 4096);

        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            ulong covered = 0;
            foreach (var (iova, pa, run) in PageSizeSplitter.Split(Bitmap, c.Iova, c.Pa, c.Size))
            {
                if ((Bitmap & run.PageSize) == 0 || run.Count == 0) return false;
                if (iova % run.PageSize != 0 || pa % run.PageSize != 0) return false;
                if (covered + run.Bytes > c.Size) return false;
                covered += run.Bytes;
            }

            return covered == c.Size;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_splitter_uses_the_largest_page_wherever_alignment_and_size_allow()
    {
        var gen =
            from iovaPages in Gen.Choose(0, 1 << 20)
            from sizePages in Gen.Choose(1, 1 << 19)
            select (Iova: (ulong)iovaPages * 4096, Size: (ulong)sizePages * 4096);

        Prop.ForAll(gen.ToArbitrary(), c =>
            PageSizeSplitter.Split(Bitmap, c.Iova, c.Iova, c.Size).All(r =>
            {
                // no page emitted where a 2M (or 1G) block would have fit at that exact spot
                var at = r.Iova;
                var remainingAfter = c.Iova + c.Size - at;
                return !(r.Run.PageSize < 0x200000 && at % 0x200000 == 0 && remainingAfter >= 0x200000);
            })).QuickCheckThrowOnFailure();
    }
}

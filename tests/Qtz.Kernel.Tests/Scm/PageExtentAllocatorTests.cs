using FsCheck;
using FsCheck.Fluent;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.Tests.Scm;

public sealed class PageExtentAllocatorTests
{
    private const ulong Page = PageExtentAllocator.PageSize;

    [Fact]
    public void Areas_are_searched_newest_first_and_extents_never_merge_across_touching_areas()
    {
        var pages = new PageExtentAllocator();
        pages.AddArea(new PhysRange(new PhysAddr(0x10000), 2 * Page));
        pages.AddArea(new PhysRange(new PhysAddr(0x12000), 2 * Page));
        Assert.True(pages.TryAllocate(Page, out var first));
        Assert.Equal(0x12000UL, first.Value);
        Assert.False(pages.TryAllocate(3 * Page, out _));
    }

    [Fact]
    public void Random_allocate_and_free_sequences_never_hand_out_overlapping_pages()
    {
        var ops = Gen.Choose(-8, 8).ArrayOf(80).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(ops, steps =>
        {
            var pages = new PageExtentAllocator();
            pages.AddArea(new PhysRange(new PhysAddr(0x100000), 16 * Page));
            pages.AddArea(new PhysRange(new PhysAddr(0x110000), 8 * Page));
            var live = new List<PhysRange>();
            foreach (var step in steps)
            {
                if (step > 0 && pages.TryAllocate((ulong)step * Page, out var address))
                {
                    var range = new PhysRange(address, (ulong)step * Page);
                    Assert.DoesNotContain(live, r => r.Overlaps(range));
                    Assert.True(address.IsAligned(Page));
                    live.Add(range);
                }
                else if (step <= 0 && live.Count > 0)
                {
                    var victim = live[-step % live.Count];
                    live.Remove(victim);
                    pages.Free(victim.Base, victim.Size);
                }

                Assert.Equal(24 * Page - live.Aggregate(0UL, (s, r) => s + r.Size), pages.FreeBytes);
            }
        }));
    }
}

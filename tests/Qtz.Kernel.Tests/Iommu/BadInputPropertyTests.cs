using FsCheck;
using FsCheck.Fluent;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.Tests.Iommu;

/// <summary>Whatever a caller passes, map/unmap/iova_to_phys answer with Linux's contract and never throw.</summary>
public class BadInputPropertyTests
{
    private static readonly Errno[] MapResults = [Errno.None, Errno.EINVAL, Errno.ERANGE, Errno.EEXIST, Errno.ENOMEM];

    private static Gen<ulong> Address =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<ulong>(),
            Gen.Choose(0, 1 << 20).Select(p => (ulong)p << 12),
            Gen.Elements(0UL, 1UL << 48, (1UL << 48) - 0x1000, ulong.MaxValue & ~0xFFFUL, ulong.MaxValue, 0x800UL));

    private static Gen<ulong> Size =>
        Gen.OneOf(
            Gen.Choose(0, 64).Select(p => (ulong)p << 12),
            Gen.Elements(0UL, 1UL, 0x800UL, 0x1001UL, 1UL << 21, 1UL << 30, 1UL << 48, ulong.MaxValue, ulong.MaxValue & ~0xFFFUL));

    [Fact]
    public void Map_and_unmap_of_any_input_return_an_errno_or_a_byte_count_and_never_throw()
    {
        var board = new IommuTestBoard();
        var domain = board.AttachedDomain();
        var gen =
            from iova in Address
            from pa in Address
            from size in Size
            from prot in Gen.Choose(0, 63)
            select (iova, pa, size, prot: (IommuProt)prot);

        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var before = domain.IovaToPhys(new Iova(c.iova)).Value;
            var result = domain.Map(new Iova(c.iova), new PhysAddr(c.pa), c.size, c.prot);
            if (!MapResults.Contains(result)) return false;
            if (result != Errno.None && domain.IovaToPhys(new Iova(c.iova)).Value != before) return false;
            var unmapped = domain.Unmap(new Iova(c.iova), c.size);
            return result != Errno.None || unmapped == c.size;
        }).QuickCheckThrowOnFailure();
    }
}

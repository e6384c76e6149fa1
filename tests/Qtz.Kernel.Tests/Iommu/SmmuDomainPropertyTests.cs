using FsCheck;
using FsCheck.Fluent;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Tests.Iommu;

/// <summary>
/// Random map/unmap sequences on a domain attached to a real SMMU, checked against a dictionary
/// reference: every page the device translates must agree with it, holes must fault with FSR.TF and
/// FAR = the iova, and accesses the prot forbids must fault with FSR.PF.
/// </summary>
public class SmmuDomainPropertyTests
{
    private const ulong SZ_4K = 0x1000, SZ_2M = 0x200000, SZ_1G = 1UL << 30;
    private const ulong SmallWindow = 32UL << 20; // every 4K page here is checked
    private const ulong LargeWindow = 4 * SZ_1G;  // first and last page of every 2M chunk checked
    private const ushort Sid = IommuTestBoard.AdspStream;
    private static readonly IommuProt[] Prots =
    [
        IommuProt.Read, IommuProt.Write, IommuProt.ReadWrite | IommuProt.Cache, IommuProt.ReadWrite | IommuProt.NoExec,
        IommuProt.Read | IommuProt.Priv,
    ];

    [Fact]
    public void Random_map_unmap_sequences_translate_like_the_reference()
    {
        var ops = Gen.Choose(4, 24).SelectMany(n => OpGen.ArrayOf(n));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(LongRunsIterations()), Prop.ForAll(ops.ToArbitrary(), Run));
    }

    private static int LongRunsIterations() => Environment.GetEnvironmentVariable("QTZ_LONG") == "1" ? 500 : 25;

    private static Gen<IommuOp> OpGen =>
        Gen.Frequency(
            (5, SmallMap),
            (2, LargeMap),
            (4, Gen.Choose(0, 1000).Select(i => (IommuOp)new UnmapRegionOp(i))),
            (1, from page in Gen.Choose(0, (int)(SmallWindow / SZ_4K) - 1).Where(p => p % 512 != 0)
                from count in Gen.Choose(1, 64)
                select (IommuOp)new UnmapRangeOp((ulong)page * SZ_4K, (ulong)count * SZ_4K)));

    private static Gen<IommuOp> SmallMap =>
        from page in Gen.OneOf(Gen.Choose(0, (int)(SmallWindow / SZ_4K) - 1), Gen.Choose(0, 15).Select(c => c * 512))
        from count in Gen.OneOf(Gen.Choose(1, 16), Gen.Elements(511, 512, 513, 1024, 1030))
        from k in Gen.Choose(0, 3)
        from prot in Gen.Elements(Prots)
        where (ulong)(page + count) * SZ_4K <= SmallWindow
        select (IommuOp)new MapOp((ulong)page * SZ_4K, (ulong)count * SZ_4K, k, prot);

    private static Gen<IommuOp> LargeMap =>
        from chunk in Gen.Choose((int)(SmallWindow / SZ_2M), (int)(LargeWindow / SZ_2M) - 1)
        from chunks in Gen.OneOf(Gen.Choose(1, 8), Gen.Constant(512), Gen.Constant(513))
        from k in Gen.Choose(0, 3)
        from prot in Gen.Elements(Prots)
        let iova = chunks >= 512 ? (ulong)chunk * SZ_2M / SZ_1G * SZ_1G : (ulong)chunk * SZ_2M
        where iova >= SmallWindow && iova + (ulong)chunks * SZ_2M <= LargeWindow
        select (IommuOp)new MapOp(iova, (ulong)chunks * SZ_2M, k, prot);

    private static bool Run(IommuOp[] ops)
    {
        var board = new IommuTestBoard();
        var domain = board.AttachedDomain();
        var faults = new List<(ulong Far, uint Fsr)>();
        domain.SetFaultHandler((d, iova, flags) =>
        {
            faults.Add((iova.Value, board.ReadBank(d.ContextBank, global::Qtz.Soc.SystemMmu.SmmuRegisters.CbFsr)));
            return Errno.None;
        });
        var model = new SmmuReferenceModel();

        foreach (var op in ops)
        {
            switch (op)
            {
                case MapOp m:
                    var pa = IommuTestBoard.Data(m.Iova + (ulong)m.PaGigabytes * SZ_1G).Value;
                    var expected = model.IsFree(m.Iova, m.Size) ? Errno.None : Errno.EEXIST;
                    var actual = domain.Map(new Iova(m.Iova), new PhysAddr(pa), m.Size, m.Prot);
                    if (actual != expected) throw new InvalidOperationException($"{m}: expected {expected}, got {actual}");
                    if (actual == Errno.None) model.Map(m.Iova, pa, m.Size, m.Prot);
                    CheckPages(board, model, faults, Probes(m.Iova, m.Size));
                    break;
                case UnmapRegionOp u when model.Regions.Count > 0:
                    var (iova, size) = model.Regions[u.Index % model.Regions.Count];
                    var unmapped = domain.Unmap(new Iova(iova), size);
                    if (unmapped != size) throw new InvalidOperationException($"unmap {iova:x}+{size:x}: returned {unmapped:x}");
                    model.Unmap(u.Index % model.Regions.Count);
                    CheckPages(board, model, faults, Probes(iova, size));
                    break;
                case UnmapRangeOp r when model.IsFree(r.Iova, r.Size):
                    var got = domain.Unmap(new Iova(r.Iova), r.Size);
                    if (got != 0) throw new InvalidOperationException($"unmap of hole {r.Iova:x}+{r.Size:x} returned {got:x}");
                    break;
                default:
                    break;
            }
        }

        CheckPages(board, model, faults, EveryCheckedPage());
        return true;
    }

    private static IEnumerable<ulong> Probes(ulong iova, ulong size)
    {
        if (iova >= SZ_4K) yield return iova - SZ_4K;
        yield return iova;
        yield return iova + size / 2 & ~(SZ_4K - 1);
        yield return iova + size - SZ_4K;
        yield return iova + size;
    }

    private static IEnumerable<ulong> EveryCheckedPage()
    {
        for (var page = 0UL; page < SmallWindow; page += SZ_4K) yield return page;
        for (var chunk = SmallWindow; chunk < LargeWindow; chunk += SZ_2M)
        {
            yield return chunk;
            yield return chunk + SZ_2M - SZ_4K;
        }
    }

    private static void CheckPages(IommuTestBoard board, SmmuReferenceModel model, List<(ulong Far, uint Fsr)> faults, IEnumerable<ulong> pages)
    {
        foreach (var page in pages)
        {
            var probe = page + 0x18;
            if (!model.TryGet(page, out var entry))
            {
                ExpectFault(board, faults, probe, AccessKind.Read, SmmuStatus.TranslationFault, global::Qtz.Soc.SystemMmu.SmmuRegisters.FsrTf);
                continue;
            }

            var priv = (entry.Prot & IommuProt.Priv) != 0;
            var read = board.Smmu.Translate(Sid, new Iova(probe), AccessKind.Read);
            if (priv)
            {
                if (read.Status != SmmuStatus.PermissionFault) throw new InvalidOperationException($"{probe:x}: privileged-only page readable ({read.Status})");
                faults.Clear();
                continue;
            }

            if (read.Status != SmmuStatus.Ok || read.Address.Value != entry.Pa + 0x18)
                throw new InvalidOperationException($"{probe:x}: expected {entry.Pa + 0x18:x}, got {read}");
            if ((entry.Prot & IommuProt.Write) == 0)
                ExpectFault(board, faults, probe, AccessKind.Write, SmmuStatus.PermissionFault, global::Qtz.Soc.SystemMmu.SmmuRegisters.FsrPf);
            if ((entry.Prot & IommuProt.NoExec) != 0)
                ExpectFault(board, faults, probe, AccessKind.Execute, SmmuStatus.PermissionFault, global::Qtz.Soc.SystemMmu.SmmuRegisters.FsrPf);
        }
    }

    private static void ExpectFault(IommuTestBoard board, List<(ulong Far, uint Fsr)> faults, ulong iova, AccessKind kind, SmmuStatus status, uint fsrBit)
    {
        faults.Clear();
        var t = board.Smmu.Translate(Sid, new Iova(iova), kind);
        if (t.Status != status) throw new InvalidOperationException($"{iova:x} {kind}: expected {status}, got {t.Status}");
        if (faults.Count != 1 || faults[0].Far != iova || (faults[0].Fsr & fsrBit) == 0)
            throw new InvalidOperationException($"{iova:x} {kind}: fault report {string.Join(",", faults.Select(f => $"far={f.Far:x} fsr={f.Fsr:x}"))}");
    }
}

using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Soc.Addressing;
using Qtz.Soc;

namespace Qtz.Platform.Boards;

/// <summary>
/// /reserved-memory regions without <c>reg</c> (a <c>size</c>, optional <c>alignment</c> and <c>alloc-ranges</c>):
/// Linux allocates them at early boot, in tree order, top-down like memblock, inside the first alloc-range
/// with room (else anywhere in DDR), clear of every static region and of those allocated before. msm8916-era
/// trees give their WCNSS, venus and MBA carveouts this way.
/// </summary>
public static class BoardDynamicMemory
{
    private const ulong DefaultAlignment = 4096;

    /// <summary>The dynamic regions' ranges, by node path; each one is added to <paramref name="taken"/>.</summary>
    public static IReadOnlyDictionary<string, PhysRange> Allocate(DtTree tree, IReadOnlyList<PhysRange> ddr, List<PhysRange> taken)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(ddr);
        ArgumentNullException.ThrowIfNull(taken);
        var result = new Dictionary<string, PhysRange>(StringComparer.Ordinal);
        var parent = tree.Root.Children.FirstOrDefault(n => n.BaseName == "reserved-memory");
        if (parent is null) return result;
        foreach (var node in parent.Children.Where(n => n.IsEnabled && !n.HasProperty("reg") && n.HasProperty("size")))
        {
            var size = Cells(node.FindProperty("size")!.AsCells(), 0, (int)parent.ChildSizeCells);
            if (size == 0) continue;
            var align = node.FindProperty("alignment") is { } a ? Math.Max(1, Cells(a.AsCells(), 0, (int)parent.ChildSizeCells)) : DefaultAlignment;
            var windows = AllocRanges(node, parent) is { Count: > 0 } ranges ? ranges : ddr;
            foreach (var window in windows)
            {
                if (TopDown(window, size, align, taken, ddr) is { } range)
                {
                    taken.Add(range);
                    result[node.Path] = range;
                    break;
                }
            }

            if (!result.ContainsKey(node.Path))
                BoardException.Throw($"{node.Path}: no free 0x{size:x} bytes (alignment 0x{align:x}) in its alloc-ranges for this dynamic reserved-memory region");
        }

        return result;
    }

    private static List<PhysRange> AllocRanges(DtNode node, DtNode parent)
    {
        var list = new List<PhysRange>();
        if (node.FindProperty("alloc-ranges") is not { } p) return list;
        var cells = p.AsCells();
        int ac = (int)parent.ChildAddressCells, sc = (int)parent.ChildSizeCells;
        for (var i = 0; i + ac + sc <= cells.Length; i += ac + sc)
        {
            if (PhysRange.TryCreate(Cells(cells, i, ac), Cells(cells, i + ac, sc), out var r)) list.Add(r);
        }

        return list;
    }

    private static PhysRange? TopDown(PhysRange window, ulong size, ulong align, List<PhysRange> taken, IReadOnlyList<PhysRange> ddr)
    {
        if (size > window.Size) return null;
        var at = (window.Base.Value + window.Size - size) / align * align;
        while (at >= window.Base.Value)
        {
            var top = at + size;
            var hit = taken.Where(t => t.Base.Value < top && at < t.Base.Value + t.Size).Select(t => (PhysRange?)t).FirstOrDefault();
            if (hit is null)
            {
                if (ddr.Any(d => d.Base.Value <= at && top <= d.Base.Value + d.Size)) return new PhysRange(new PhysAddr(at), size);
                if (at < align) return null;
                at -= align;
                continue;
            }

            // Jump below the region in the way instead of stepping through it.
            if (hit.Value.Base.Value < window.Base.Value + size) return null;
            at = (hit.Value.Base.Value - size) / align * align;
        }

        return null;
    }

    private static ulong Cells(uint[] cells, int at, int count)
    {
        ulong value = 0;
        for (var i = 0; i < count && at + i < cells.Length; i++) value = (value << 32) | cells[at + i];
        return value;
    }
}

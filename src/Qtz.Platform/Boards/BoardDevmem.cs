using Qtz.DeviceTree;
using Qtz.Soc;

namespace Qtz.Platform.Boards;

/// <summary>
/// The device memory each DSP's firmware touches. One source of truth: the rows of the shipped
/// <c>sa8775p-devmem</c> overlay (ADSP from the 2024 seed; the other DSPs are qtz's plausible choice,
/// see the overlay's header). TZ hands the same rows out through GET_RSCTABLE in the merged design,
/// and the bus gets plain memory behind them so a mapped access lands somewhere.
/// </summary>
public static class BoardDevmem
{
    /// <summary>The rows for the node at <paramref name="path"/>: the node's own <c>qcom,devmem</c> when it has one, else the shipped overlay's.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DevmemEntry>> ForTree(DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var shipped = tree.Clone();
        try
        {
            DtOverlay.Apply(shipped, ShippedOverlays.Sa8775pDevmem);
        }
        catch (FormatException)
        {
            // A tree without the SA8775p paths: only the nodes' own tables count.
            shipped = tree;
        }

        var result = new Dictionary<string, IReadOnlyList<DevmemEntry>>(StringComparer.Ordinal);
        foreach (var node in BoardDeviceTree.PasNodes(tree))
        {
            var own = node.HasProperty("qcom,devmem") ? node : shipped.FindNode(node.Path);
            result[node.Path] = own is not null && own.HasProperty("qcom,devmem") ? own.GetDevmem() : [];
        }

        return result;
    }

    /// <summary>Page-aligned, merged physical ranges behind all rows (what the board backs with memory).</summary>
    public static IReadOnlyList<PhysRange> BackingRanges(IEnumerable<DevmemEntry> rows)
    {
        const ulong page = 4096;
        var merged = new List<(ulong Start, ulong End)>();
        foreach (var (start, end) in rows.Select(r => (r.PhysicalAddress & ~(page - 1UL), (r.PhysicalEnd + page - 1) & ~(page - 1))).OrderBy(r => r.Item1))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            else
                merged.Add((start, end));
        }

        return merged.Select(m => new PhysRange(new PhysAddr(m.Start), m.End - m.Start)).ToArray();
    }
}

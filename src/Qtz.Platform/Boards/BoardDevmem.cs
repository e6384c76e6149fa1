using Qtz.DeviceTree;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;
using Qtz.DeviceTree.Properties;
using Qtz.Soc.Addressing;

namespace Qtz.Platform.Boards;

/// <summary>
/// The device memory each DSP's firmware touches. One source of truth: the node's own <c>qcom,devmem</c>,
/// else the rows of its SoC's shipped devmem overlay (<see cref="ShippedOverlays"/>; e.g. ADSP from the 2024
/// seed, the other DSPs qtz's plausible choice, see the overlay's header); SoCs without one touch none. TZ hands the same rows out through GET_RSCTABLE in the merged design,
/// and the bus gets plain memory behind them so a mapped access lands somewhere.
/// </summary>
public static class BoardDevmem
{
    /// <summary>The rows for the node at <paramref name="path"/>: the node's own <c>qcom,devmem</c> when it has one, else the shipped overlay's.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DevmemEntry>> ForTree(DtTree tree, Socs.SocCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var socs = catalog ?? Socs.SocCatalog.Linux;
        var nodes = BoardDeviceTree.PasNodes(tree, socs).ToList();
        var shipped = tree;
        var overlay = nodes.Select(n => ShippedOverlays.Find(socs.Resolve(n.GetStringList("compatible"))!.Soc.Name, ShippedOverlayKind.Devmem)).FirstOrDefault(o => o is not null);
        if (overlay is not null)
        {
            shipped = tree.Clone();
            try
            {
                DtOverlay.Apply(shipped, ShippedOverlays.Load(overlay));
            }
            catch (FormatException)
            {
                // A tree without the overlay's paths: only the nodes' own tables count.
                shipped = tree;
            }
        }

        var result = new Dictionary<string, IReadOnlyList<DevmemEntry>>(StringComparer.Ordinal);
        foreach (var node in nodes)
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

using Qtz.DeviceTree;
using Qtz.Platform.Socs;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Platform.Boards;

/// <summary>The tree a board boots: base DTB, the user's overlays, then (KVM mode) the shipped EL2 overlay when needed.</summary>
public sealed record BoardDeviceTree(DtTree Tree, string Name, IReadOnlyList<string> Notes)
{
    public const string EmbeddedDtbName = DefaultBoard.DisplayName;

    /// <summary>The embedded default board's DTB.</summary>
    public static byte[] EmbeddedDtb() => DefaultBoard.Dtb();

    public static BoardDeviceTree Resolve(BoardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var notes = new List<string>();
        var dtb = options.Dtb ?? new NamedBlob(EmbeddedDtbName, EmbeddedDtb());
        var tree = Parse(dtb);
        foreach (var overlay in options.Overlays)
        {
            DtOverlay.Apply(tree, Parse(overlay));
            notes.Add($"applied overlay {overlay.Name}");
        }

        var catalog = options.Socs ?? SocCatalog.Linux;
        if (options.Mode == KernelMode.Kvm)
        {
            var pas = PasNodes(tree, catalog).ToList();
            var soc = pas.Select(n => catalog.Resolve(n.GetStringList("compatible"))!.Soc.Name).FirstOrDefault() ?? "";
            if (pas.Count > 0 && !pas.Any(n => n.HasProperty("iommus")))
            {
                if (options.NoEl2Overlay)
                {
                    notes.Add("KVM mode without an EL2 overlay (--no-el2-overlay): no remoteproc node has 'iommus', so Linux maps nothing for the DSPs");
                }
                else if (ShippedOverlays.Find(soc, ShippedOverlayKind.El2) is { } el2)
                {
                    DtOverlay.Apply(tree, ShippedOverlays.Load(el2));
                    notes.Add($"KVM mode: the tree has no 'iommus' on any remoteproc; applied the shipped EL2 overlay '{el2}' (use --no-el2-overlay to see what happens without it)");
                }
                else if (pas.Select(n => SocCatalog.SocOf(n.GetStringList("compatible")[0])).Select(SocEl2Overlays.Find).FirstOrDefault(r => r is not null) is { } row)
                {
                    var nodes = pas.Select(n => (n, Kernel.Remoteproc.PasData.ProcessorOf(n.GetStringList("compatible")[0])));
                    var changes = SocEl2Overlays.Apply(row, tree, nodes, Board.FindAppsSmmu(tree, catalog));
                    notes.Add($"KVM mode: the tree has no 'iommus' on any remoteproc; applied the EL2 overlay '{row.Name}' ({row.Status}): {(changes.Count == 0 ? "no change" : string.Join("; ", changes))}"
                        + (row.CoversRemoteprocs ? "" : " — it gives the remoteprocs no 'iommus', so Linux takes the EL1 path for the DSPs and their streams fault"));
                }
                else
                {
                    notes.Add($"KVM mode: no remoteproc has 'iommus' and qtz ships no EL2 overlay for {soc}: Linux takes the EL1 path for the DSPs (spec/socs.md §3.2)");
                }
            }

            if (options.El2Design == El2Design.Devmem && !options.NoEl2Overlay && !pas.Any(n => n.HasProperty("qcom,devmem"))
                && ShippedOverlays.Find(soc, ShippedOverlayKind.Devmem) is { } devmem)
            {
                DtOverlay.Apply(tree, ShippedOverlays.Load(devmem));
                notes.Add($"EL2 design devmem: applied the shipped overlay '{devmem}' (qcom,devmem tables, 2024 seed series)");
            }
        }

        return new BoardDeviceTree(tree, dtb.Name, notes);
    }

    /// <summary>Enabled nodes whose compatible list the PAS driver's match table binds (Linux's of_match).</summary>
    public static IEnumerable<DtNode> PasNodes(DtTree tree, SocCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var socs = catalog ?? SocCatalog.Linux;
        return tree.Root.DescendantsAndSelf().Where(n => n.IsEnabled && socs.Resolve(n.GetStringList("compatible")) is not null);
    }

    /// <summary>
    /// Refuses a tree the board cannot boot anything of: no PAS remoteproc and no other PAS user at all (naming the remoteproc-like
    /// compatibles it has), or an enabled node with a PAS compatible ("…-pas") the table does not know.
    /// </summary>
    /// <param name="pasUserKind">What a node is among the other PAS users (video, wcnss, the zap shader, IPA),
    /// or null; so that a tree whose PAS users are all disabled says so.</param>
    public static void RequirePasRemoteprocs(DtTree tree, string name, SocCatalog catalog, bool otherPasUsers = false, Func<DtNode, string?>? pasUserKind = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(catalog);
        var unknown = new List<string>();
        foreach (var node in tree.Root.DescendantsAndSelf().Where(n => n.IsEnabled))
        {
            var compatibles = node.GetStringList("compatible");
            if (compatibles.Count == 0 || catalog.Resolve(compatibles) is not null) continue;
            foreach (var c in compatibles.Where(c => c.EndsWith("-pas", StringComparison.Ordinal)))
            {
                var hint = catalog.Fallbacks.TryGetValue(c, out var via) ? $" (Linux binds it only with the fallback '{via}' after it)" : "";
                unknown.Add($"{node.Path}: '{c}'{hint}");
            }
        }

        if (unknown.Count > 0)
            BoardException.Throw($"{name}: PAS remoteproc compatible not in the SoC table: {string.Join("; ", unknown)}");
        if (otherPasUsers || PasNodes(tree, catalog).Any()) return;

        string? KindOf(DtNode n)
        {
            return catalog.Resolve(n.GetStringList("compatible")) is not null ? "PAS remoteproc" : pasUserKind?.Invoke(n);
        }

        var all = tree.Root.DescendantsAndSelf().ToList();
        var disabled = all.Where(n => !n.IsEnabled).Select(n => (n.Path, Kind: KindOf(n))).Where(x => x.Kind is not null).Select(x => $"{x.Path} ({x.Kind})").ToList();
        var others = all.Where(n => KindOf(n) is null).SelectMany(n => n.GetStringList("compatible")).Where(SocCatalog.LooksLikeRemoteproc).Distinct().ToList();
        var notPas = others.Count > 0 ? $"; remoteproc-like compatibles found: {string.Join(", ", others)} (other drivers, not PAS)" : "";
        if (disabled.Count > 0)
            BoardException.Throw($"no enabled Qualcomm PAS remoteproc or PAS user in {name}: {string.Join(", ", disabled)} {(disabled.Count == 1 ? "is" : "are")} disabled (status), so Linux probes none{notPas}");
        BoardException.Throw($"no Qualcomm PAS remoteproc in {name}" + (others.Count > 0 ? notPas : "; no remoteproc-like compatibles at all"));
    }

    private static DtTree Parse(NamedBlob blob)
    {
        try
        {
            return DtTree.Parse(blob.Bytes);
        }
        catch (FormatException e)
        {
            throw new BoardException($"{blob.Name}: not a valid device tree blob: {e.Message}", e);
        }
    }
}

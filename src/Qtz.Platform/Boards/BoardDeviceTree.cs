using Qtz.DeviceTree;
using Qtz.Platform.Socs;

namespace Qtz.Platform.Boards;

/// <summary>The tree a board boots: base DTB, the user's overlays, then (KVM mode) the shipped EL2 overlay when needed.</summary>
public sealed record BoardDeviceTree(DtTree Tree, string Name, IReadOnlyList<string> Notes)
{
    public const string EmbeddedDtbName = "sa8775p-ride.dtb (embedded)";

    /// <summary>The embedded default board's DTB (a copy of Linux's sa8775p-ride.dtb, BSD-3-Clause/GPL-2.0).</summary>
    public static byte[] EmbeddedDtb()
    {
        using var stream = typeof(BoardDeviceTree).Assembly.GetManifestResourceStream("Qtz.Platform.Boards.sa8775p-ride.dtb")
            ?? throw new InvalidOperationException("the embedded sa8775p-ride.dtb resource is missing from Qtz.Platform");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

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

        if (options.Mode == KernelMode.Kvm)
        {
            var pas = PasNodes(tree).ToList();
            if (pas.Count > 0 && !pas.Any(n => n.HasProperty("iommus")))
            {
                if (options.NoEl2Overlay)
                {
                    notes.Add("KVM mode without an EL2 overlay (--no-el2-overlay): no remoteproc node has 'iommus', so Linux maps nothing for the DSPs");
                }
                else
                {
                    DtOverlay.Apply(tree, ShippedOverlays.Sa8775pEl2);
                    notes.Add($"KVM mode: the tree has no 'iommus' on any remoteproc; applied the shipped EL2 overlay '{ShippedOverlays.Sa8775pEl2Name}' (use --no-el2-overlay to see what happens without it)");
                }
            }

            if (options.El2Design == El2Design.Devmem && !options.NoEl2Overlay && !pas.Any(n => n.HasProperty("qcom,devmem")))
            {
                DtOverlay.Apply(tree, ShippedOverlays.Sa8775pDevmem);
                notes.Add($"EL2 design devmem: applied the shipped overlay '{ShippedOverlays.Sa8775pDevmemName}' (qcom,devmem tables, 2024 seed series)");
            }
        }

        return new BoardDeviceTree(tree, dtb.Name, notes);
    }

    /// <summary>Enabled nodes whose compatible is a PAS remoteproc this SoC table knows.</summary>
    public static IEnumerable<DtNode> PasNodes(DtTree tree) =>
        tree.Root.DescendantsAndSelf().Where(n => n.IsEnabled && n.GetStringList("compatible").Any(c => Sa8775p.FindPasData(c) is not null));

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

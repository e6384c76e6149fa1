using System.Buffers.Binary;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Overlays;

/// <summary>
/// Applies overlays with libfdt's fdt_overlay_apply semantics (what fdtoverlay does): overlay phandles
/// are shifted past the base's largest, <c>__local_fixups__</c> follow them, <c>__fixups__</c> are
/// resolved, every fragment's <c>__overlay__</c> is merged into its <c>target</c>/<c>target-path</c>
/// (new properties and nodes go first, as libfdt inserts them), and <c>__symbols__</c> are merged.
/// One step further than fdtoverlay: a <c>__fixups__</c> entry named by a path (dtc's output for
/// <c>&amp;{/soc@0/iommu@15000000}</c>) is resolved by that path, so overlays apply to the shipped
/// DTBs that carry no <c>__symbols__</c>.
/// </summary>
public static class DtOverlay
{
    /// <summary>Applies each overlay in turn to <paramref name="baseTree"/> (changed in place). The overlays are not changed.</summary>
    public static void Apply(DtTree baseTree, params DtTree[] overlays)
    {
        ArgumentNullException.ThrowIfNull(baseTree);
        ArgumentNullException.ThrowIfNull(overlays);
        foreach (var overlay in overlays)
            ApplyOne(baseTree, overlay, resolvePathFixups: true);
    }

    /// <summary>Exactly fdtoverlay: path-named fixups fail as FDT_ERR_NOTFOUND would.</summary>
    public static void ApplyStrict(DtTree baseTree, DtTree overlay) => ApplyOne(baseTree, overlay, resolvePathFixups: false);

    private static void ApplyOne(DtTree baseTree, DtTree overlay, bool resolvePathFixups)
    {
        ArgumentNullException.ThrowIfNull(baseTree);
        ArgumentNullException.ThrowIfNull(overlay);
        var ov = overlay.Clone();
        var delta = baseTree.MaxPhandle;
        ShiftLocalPhandles(ov, delta);
        if (ov.Root.FindChild("__local_fixups__") is { } localFixups)
            OverlayFixups.UpdateLocalReferences(ov.Root, localFixups, delta);
        OverlayFixups.ResolveExternal(baseTree, ov, resolvePathFixups);
        var targets = new List<(DtNode Fragment, DtNode Target, string? TargetPath)>();
        foreach (var fragment in ov.Root.Children)
        {
            var content = fragment.FindChild("__overlay__");
            if (content is null) continue;
            var (target, targetPath) = FindTarget(baseTree, fragment);
            MergeNode(target, content);
            targets.Add((fragment, target, targetPath));
        }

        OverlaySymbols.Merge(baseTree, ov, targets);
    }

    private static void ShiftLocalPhandles(DtTree ov, uint delta)
    {
        foreach (var node in ov.Root.DescendantsAndSelf())
        {
            foreach (var name in (string[])["phandle", "linux,phandle"])
            {
                var p = node.FindProperty(name);
                if (p is null) continue;
                if (p.Length != 4) DtThrow.Overlay($"{p.Location} is {p.Length} bytes, a phandle is 4 (FDT_ERR_BADPHANDLE)");
                var value = (ulong)p.AsU32() + delta;
                if (value >= uint.MaxValue) DtThrow.Overlay($"{p.Location} shifted by 0x{delta:x} overflows (FDT_ERR_NOPHANDLES)");
                var bytes = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
                node.SetProperty(name, bytes);
            }
        }
    }

    private static (DtNode Target, string? TargetPath) FindTarget(DtTree baseTree, DtNode fragment)
    {
        if (fragment.FindProperty("target") is { } target)
        {
            if (target.Length != 4) DtThrow.Overlay($"{target.Location} is not a single phandle cell (FDT_ERR_BADPHANDLE)");
            var phandle = target.AsU32();
            if (phandle is 0 or uint.MaxValue)
                DtThrow.Overlay($"{target.Location} = 0x{phandle:x} was never resolved (FDT_ERR_BADPHANDLE)");
            var node = baseTree.FindByPhandle(phandle);
            if (node is null) DtThrow.Overlay($"{target.Location}: no node in the base tree has phandle 0x{phandle:x} (FDT_ERR_BADPHANDLE)");
            return (node, null);
        }

        if (fragment.FindProperty("target-path") is { } targetPath)
        {
            var path = targetPath.AsString();
            var node = baseTree.FindNode(path);
            if (node is null) DtThrow.Overlay($"{targetPath.Location} = \"{path}\" is not a node of the base tree (FDT_ERR_NOTFOUND)");
            return (node, path);
        }

        DtThrow.Overlay($"fragment {fragment.Path} has neither 'target' nor 'target-path' (FDT_ERR_NOTFOUND)");
        return default;
    }

    /// <summary>libfdt's overlay_apply_node: set properties, add or reuse subnodes, recurse.</summary>
    private static void MergeNode(DtNode target, DtNode content)
    {
        foreach (var p in content.Properties)
        {
            if (target.FindProperty(p.Name) is not null) target.SetProperty(p.Name, p.Span);
            else target.InsertProperty(0, p.Name, p.Span);
        }

        foreach (var child in content.Children)
        {
            var existing = FindSubnodeAsLibfdt(target, child.Name) ?? target.InsertChild(0, child.Name);
            MergeNode(existing, child);
        }
    }

    /// <summary>fdt_subnode_offset: the first child whose name equals, or equals up to '@' when the name has no '@'.</summary>
    internal static DtNode? FindSubnodeAsLibfdt(DtNode parent, string name)
    {
        var bare = !name.Contains('@', StringComparison.Ordinal);
        foreach (var c in parent.Children)
        {
            if (c.Name == name) return c;
            if (bare && c.Name.Length > name.Length && c.Name[name.Length] == '@' && c.Name.StartsWith(name, StringComparison.Ordinal))
                return c;
        }

        return null;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Overlays;

/// <summary>The phandle patching steps of an overlay: <c>__local_fixups__</c> and <c>__fixups__</c>.</summary>
internal static class OverlayFixups
{
    /// <summary>Adds <paramref name="delta"/> to every cell <c>__local_fixups__</c> lists, walking it beside the overlay tree.</summary>
    public static void UpdateLocalReferences(DtNode treeNode, DtNode fixupNode, uint delta)
    {
        foreach (var fixup in fixupNode.Properties)
        {
            if (fixup.Length % 4 != 0) DtThrow.Overlay($"{fixup.Location} is not a list of 32-bit offsets (FDT_ERR_BADOVERLAY)");
            var property = treeNode.FindProperty(fixup.Name);
            if (property is null) DtThrow.Overlay($"{fixup.Location} names a property {treeNode.Path} does not have (FDT_ERR_BADOVERLAY)");
            foreach (var offset in fixup.AsCells())
                AddToCell(property, offset, delta);
        }

        foreach (var child in fixupNode.Children)
        {
            var treeChild = DtOverlay.FindSubnodeAsLibfdt(treeNode, child.Name);
            if (treeChild is null) DtThrow.Overlay($"{child.Path} names a node {treeNode.Path} does not have (FDT_ERR_BADOVERLAY)");
            UpdateLocalReferences(treeChild, child, delta);
        }
    }

    /// <summary>
    /// Resolves every <c>__fixups__</c> label against the base's <c>__symbols__</c>, or (our extension)
    /// by path when the label is a path, and writes the phandle where each entry says.
    /// </summary>
    public static void ResolveExternal(DtTree baseTree, DtTree ov, bool resolvePathFixups)
    {
        var fixups = ov.Root.FindChild("__fixups__");
        if (fixups is null) return;
        var symbols = baseTree.Root.FindChild("__symbols__");
        foreach (var fixup in fixups.Properties)
        {
            var phandle = PhandleForLabel(baseTree, ov, symbols, fixup.Name, resolvePathFixups);
            foreach (var entry in fixup.AsStringList())
                Patch(ov, fixup, entry, phandle);
        }
    }

    private static uint PhandleForLabel(DtTree baseTree, DtTree ov, DtNode? symbols, string label, bool resolvePathFixups)
    {
        DtNode? node;
        if (symbols?.FindProperty(label) is { } symbol)
        {
            var path = symbol.AsString();
            node = baseTree.FindNode(path);
            if (node is null) DtThrow.Overlay($"symbol '{label}' points to \"{path}\", which is not in the base tree (FDT_ERR_BADPATH)");
            return node.Phandle ?? Fail(label, $"{path} has no phandle (FDT_ERR_NOTFOUND)");
        }

        if (!resolvePathFixups || label.Length == 0 || label[0] != '/')
            return Fail(label, symbols is null
                ? "the base tree has no __symbols__ (compile it with dtc -@) (FDT_ERR_NOTFOUND)"
                : "the base tree's __symbols__ has no such label (FDT_ERR_NOTFOUND)");

        node = baseTree.FindNode(label);
        if (node is null) return Fail(label, "no node at that path in the base tree (FDT_ERR_NOTFOUND)");
        if (node.Phandle is { } existing) return existing;
        // The target was never referenced in the base, so dtc gave it no phandle: give it the next free one.
        var fresh = Math.Max(baseTree.MaxPhandle, ov.MaxPhandle) + 1;
        node.SetCells("phandle", fresh);
        return fresh;
    }

    private static uint Fail(string label, string why)
    {
        DtThrow.Overlay($"cannot resolve reference '{label}': {why}");
        return 0;
    }

    /// <summary>One "path:property:offset" entry (libfdt splits at the first two colons, offset in decimal).</summary>
    private static void Patch(DtTree ov, DtProperty fixup, string entry, uint phandle)
    {
        var first = entry.IndexOf(':', StringComparison.Ordinal);
        var second = first < 0 ? -1 : entry.IndexOf(':', first + 1);
        if (second < 0 || second == entry.Length - 1)
            DtThrow.Overlay($"{fixup.Location} entry \"{entry}\" is not path:property:offset (FDT_ERR_BADOVERLAY)");
        var digits = entry[(second + 1)..];
        if (!uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            DtThrow.Overlay($"{fixup.Location} entry \"{entry}\" has a bad offset (FDT_ERR_BADOVERLAY)");
        var path = entry[..first];
        var node = ov.FindNode(path);
        if (node is null) DtThrow.Overlay($"{fixup.Location} entry \"{entry}\": no node {path} in the overlay (FDT_ERR_BADOVERLAY)");
        var property = node.FindProperty(entry[(first + 1)..second]);
        if (property is null) DtThrow.Overlay($"{fixup.Location} entry \"{entry}\": no such property in the overlay (FDT_ERR_NOTFOUND)");
        SetCell(property, offset, phandle);
    }

    private static void AddToCell(DtProperty property, uint offset, uint delta)
    {
        CheckCell(property, offset);
        SetCell(property, offset, BinaryPrimitives.ReadUInt32BigEndian(property.Span[(int)offset..]) + delta);
    }

    private static void SetCell(DtProperty property, uint offset, uint value)
    {
        CheckCell(property, offset);
        BinaryPrimitives.WriteUInt32BigEndian(property.RawBytes.AsSpan((int)offset), value);
    }

    private static void CheckCell(DtProperty property, uint offset)
    {
        if ((ulong)offset + 4 > (ulong)property.Length)
            DtThrow.Overlay($"fixup offset {offset} is past the end of {property.Location} ({property.Length} bytes) (FDT_ERR_BADOVERLAY)");
    }
}

namespace Qtz.DeviceTree.Model;

/// <summary>
/// Tree-level sanity a well-formed blob can still lack: duplicate or malformed phandles, absurd
/// <c>#…-cells</c> counts, and interrupt-parent chains that loop. Commands that interpret values
/// run this first so such trees fail with one clear error instead of odd findings.
/// </summary>
public static class DtValidation
{
    /// <summary>Throws a <see cref="DtValueException"/> naming the first problem found.</summary>
    public static void Validate(this DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        foreach (var node in tree.Root.DescendantsAndSelf())
        {
            foreach (var p in node.Properties)
            {
                if (p.Name is "phandle" or "linux,phandle")
                {
                    if (p.Length != 4) DtThrow.Value(node.Path, $"'{p.Name}' is {p.Length} bytes, expected one 32-bit cell");
                    if (p.AsU32() is 0 or uint.MaxValue) DtThrow.Value(node.Path, $"'{p.Name}' = 0x{p.AsU32():x} is not a valid phandle");
                }
                else if (p.Name.StartsWith('#') && p.Name.EndsWith("-cells", StringComparison.Ordinal))
                {
                    var max = p.Name is "#address-cells" or "#size-cells" ? DtNode.MaxAddressCells : DtNode.MaxSpecifierCells;
                    node.CellCount(p.Name, 0, max);
                }
            }

            if (node.HasProperty("interrupts") && !node.HasProperty("interrupts-extended"))
                node.FindInterruptParent();
        }

        foreach (var (phandle, first, second) in tree.DuplicatePhandles)
            DtThrow.Value(second.Path, $"phandle 0x{phandle:x} is also used by {first.Path}; phandles must be unique");
    }
}

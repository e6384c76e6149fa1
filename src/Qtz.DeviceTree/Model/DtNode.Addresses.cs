using Qtz.DeviceTree.Properties;

namespace Qtz.DeviceTree.Model;

public sealed partial class DtNode
{
    /// <summary>Largest cell count accepted for #address-cells/#size-cells; more is garbage, not a bus.</summary>
    public const uint MaxAddressCells = 4;

    /// <summary>#address-cells that applies to this node's children (spec default 2).</summary>
    public uint ChildAddressCells => CellCount("#address-cells", 2, MaxAddressCells);

    /// <summary>#size-cells that applies to this node's children (spec default 1).</summary>
    public uint ChildSizeCells => CellCount("#size-cells", 1, MaxAddressCells);

    /// <summary>The cell counts that decode this node's own <c>reg</c>: the parent's.</summary>
    public (uint AddressCells, uint SizeCells) RegCells =>
        Parent is null ? (2u, 1u) : (Parent.ChildAddressCells, Parent.ChildSizeCells);

    /// <summary>The <c>reg</c> entries (empty when the node has no <c>reg</c>).</summary>
    public IReadOnlyList<RegEntry> GetReg()
    {
        var reg = FindProperty("reg");
        if (reg is null) return [];
        var (ac, sc) = RegCells;
        var rows = DecodeRows(reg, [ac, sc]);
        return rows.Select(r => new RegEntry(r[0], r[1])).ToArray();
    }

    /// <summary>
    /// The <c>ranges</c> entries (child address with this node's #address-cells, parent address with the
    /// parent's, size with this node's #size-cells). Empty when absent or empty (an identity mapping).
    /// </summary>
    public IReadOnlyList<RangeEntry> GetRanges()
    {
        var ranges = FindProperty("ranges");
        if (ranges is null || ranges.IsEmpty) return [];
        var parentCells = Parent?.ChildAddressCells ?? 2;
        var rows = DecodeRows(ranges, [ChildAddressCells, parentCells, ChildSizeCells]);
        return rows.Select(r => new RangeEntry(r[0], r[1], r[2])).ToArray();
    }

    /// <summary>A single-cell count property such as <c>#iommu-cells</c>, bounded so garbage cannot drive a loop.</summary>
    public uint CellCount(string name, uint defaultValue, uint max)
    {
        var p = FindProperty(name);
        if (p is null) return defaultValue;
        var value = p.AsU32();
        if (value > max) DtThrow.Value(Path, $"{name} = {value} is absurd (at most {max} expected)");
        return value;
    }

    private List<ulong[]> DecodeRows(DtProperty property, uint[] widths)
    {
        foreach (var w in widths)
        {
            if (w > 2)
                DtThrow.Value(Path, $"'{property.Name}' uses {w}-cell numbers; only 1 or 2 cells decode to 64-bit values (read the raw cells instead)");
        }

        var cells = property.AsCells();
        var stride = (int)widths.Sum(w => (long)w);
        if (stride == 0 || cells.Length % stride != 0)
            DtThrow.Value(Path, $"'{property.Name}' has {cells.Length} cells, expected a multiple of {stride} ({string.Join('+', widths)})");
        var rows = new List<ulong[]>(cells.Length / stride);
        for (var at = 0; at < cells.Length;)
        {
            var row = new ulong[widths.Length];
            for (var k = 0; k < widths.Length; k++)
            {
                ulong v = 0;
                for (var c = 0; c < widths[k]; c++) v = (v << 32) | cells[at++];
                row[k] = v;
            }

            rows.Add(row);
        }

        return rows;
    }
}

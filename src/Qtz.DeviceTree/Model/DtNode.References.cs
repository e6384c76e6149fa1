using Qtz.DeviceTree.Properties;

namespace Qtz.DeviceTree.Model;

public sealed partial class DtNode
{
    /// <summary>Specifier cell counts above this are garbage (real bindings use at most 4 or 5).</summary>
    public const uint MaxSpecifierCells = 16;

    /// <summary>
    /// Decodes a phandle-with-arguments list: each item is a phandle followed by as many cells as the
    /// target's <paramref name="cellsPropertyName"/> says (0 when the target lacks it and
    /// <paramref name="missingCellsIsZero"/>). Empty when the property is absent.
    /// </summary>
    public IReadOnlyList<PhandleReference> GetPhandleList(string propertyName, string? cellsPropertyName, bool missingCellsIsZero = false)
    {
        var property = FindProperty(propertyName);
        if (property is null) return [];
        var cells = property.AsCells();
        var result = new List<PhandleReference>();
        for (var at = 0; at < cells.Length;)
        {
            var phandle = cells[at++];
            var target = ResolvePhandle(phandle, propertyName);
            uint count = 0;
            if (cellsPropertyName is not null)
            {
                if (!target.HasProperty(cellsPropertyName) && !missingCellsIsZero)
                    DtThrow.Value(Path, $"'{propertyName}' refers to {target.Path}, which has no {cellsPropertyName}");
                count = target.CellCount(cellsPropertyName, 0, MaxSpecifierCells);
            }

            if (at + count > cells.Length)
                DtThrow.Value(Path, $"'{propertyName}' item for {target.Path} needs {count} argument cells but only {cells.Length - at} remain");
            result.Add(new PhandleReference(phandle, target, cells.AsSpan(at, (int)count).ToArray()));
            at += (int)count;
        }

        return result;
    }

    /// <summary>The node a phandle names, or a <see cref="DtValueException"/> saying which property dangles.</summary>
    public DtNode ResolvePhandle(uint phandle, string propertyName)
    {
        var node = GetPhandleIndex().Find(phandle);
        if (node is null) DtThrow.Value(Path, $"'{propertyName}' refers to phandle 0x{phandle:x}, which no node has");
        return node;
    }

    /// <summary><c>iommus</c>: SMMU phandle + #iommu-cells (stream id, SMR mask on Qualcomm).</summary>
    public IReadOnlyList<PhandleReference> GetIommus() => GetPhandleList("iommus", "#iommu-cells");

    /// <summary><c>memory-region</c>: the reserved-memory nodes, in order (item 0 is the main carveout).</summary>
    public IReadOnlyList<DtNode> GetMemoryRegions() => GetPhandleList("memory-region", null).Select(r => r.Target).ToArray();

    /// <summary><c>qcom,smem-states</c> with the provider's #qcom,smem-state-cells.</summary>
    public IReadOnlyList<PhandleReference> GetSmemStates() => GetPhandleList("qcom,smem-states", "#qcom,smem-state-cells");

    /// <summary>
    /// The node's interrupts with their controllers: <c>interrupts-extended</c> when present, else
    /// <c>interrupts</c> decoded against the interrupt parent (found through <c>interrupt-parent</c> or
    /// the ancestors, following chains; a chain that loops is an error).
    /// </summary>
    public IReadOnlyList<PhandleReference> GetInterrupts()
    {
        if (HasProperty("interrupts-extended"))
            return GetPhandleList("interrupts-extended", "#interrupt-cells");
        var interrupts = FindProperty("interrupts");
        if (interrupts is null) return [];
        var controller = FindInterruptParent();
        var count = controller.CellCount("#interrupt-cells", 0, MaxSpecifierCells);
        var cells = interrupts.AsCells();
        if (count == 0 || cells.Length % count != 0)
            DtThrow.Value(Path, $"'interrupts' has {cells.Length} cells but {controller.Path} has #interrupt-cells = {count}");
        var phandle = controller.Phandle ?? 0;
        var result = new List<PhandleReference>();
        for (var at = 0; at < cells.Length; at += (int)count)
            result.Add(new PhandleReference(phandle, controller, cells.AsSpan(at, (int)count).ToArray()));
        return result;
    }

    /// <summary>The interrupt controller this node's <c>interrupts</c> belong to.</summary>
    public DtNode FindInterruptParent()
    {
        var visited = new HashSet<DtNode>();
        var node = this;
        while (true)
        {
            DtNode? next;
            if (node.FindProperty("interrupt-parent") is { } ip)
                next = node.ResolvePhandle(ip.AsU32(), "interrupt-parent");
            else
                next = node.Parent;
            if (next is null) DtThrow.Value(Path, "no interrupt parent found (no interrupt-parent in the node or its ancestors)");
            if (next.HasProperty("#interrupt-cells")) return next;
            if (!visited.Add(next))
                DtThrow.Value(Path, $"interrupt-parent chain loops at {next.Path} without reaching a node with #interrupt-cells");
            node = next;
        }
    }

    /// <summary><c>qcom,devmem</c> (the 2024 seed's uint32-matrix of da, pa, size, prot rows); empty when absent.</summary>
    public IReadOnlyList<DevmemEntry> GetDevmem()
    {
        var property = FindProperty("qcom,devmem");
        if (property is null) return [];
        return property.AsMatrix(4).Select(r => new DevmemEntry(r[0], r[1], r[2], (IommuProt)r[3])).ToArray();
    }

    public string? GetString(string name) => FindProperty(name)?.AsString();

    public IReadOnlyList<string> GetStringList(string name) => FindProperty(name)?.AsStringList() ?? [];

    /// <summary>True when <c>compatible</c> lists <paramref name="compatible"/>.</summary>
    public bool IsCompatible(string compatible) => GetStringList("compatible").Contains(compatible, StringComparer.Ordinal);

    /// <summary><c>status</c> absent, "okay" or "ok".</summary>
    public bool IsEnabled => GetString("status") is null or "okay" or "ok";
}

using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Bindings;

/// <summary>
/// The EL2 properties (spec §8, §9.1): <c>iommus</c> (at most one SMMU stream) and the 2024 seed's
/// <c>qcom,devmem</c> (rows of da, pa, size, prot 1..31 without overlaps), and <c>memory-region</c>
/// items that must be no-map reserved memory.
/// </summary>
internal static class SeedRules
{
    public static void Check(RuleContext c)
    {
        c.Run(BindingRules.Iommus, () => CheckIommus(c));
        c.Run(BindingRules.Devmem, () => CheckDevmem(c));
        c.Run(BindingRules.MemoryRegion, () => CheckMemoryRegions(c));
    }

    private static void CheckIommus(RuleContext c)
    {
        if (!c.Node.HasProperty("iommus")) return;
        var iommus = c.Node.GetPhandleList("iommus", "#iommu-cells", missingCellsIsZero: true);
        if (iommus.Count == 0) c.Fail(BindingRules.Iommus, "'iommus' is empty, expected one <&smmu stream-id mask> item");
        if (iommus.Count > 1) c.Fail(BindingRules.Iommus, $"'iommus' has {iommus.Count} items, expected at most 1 (the firmware stream)");
        foreach (var iommu in iommus)
        {
            var target = iommu.Target;
            if (!IsSmmu(target))
                c.Fail(BindingRules.Iommus, $"'iommus' refers to {target.Path}, which is not an SMMU (no #iommu-cells or no smmu compatible)");
        }
    }

    private static bool IsSmmu(DtNode node) =>
        node.HasProperty("#iommu-cells")
        && node.GetStringList("compatible").Any(s => s.Contains("smmu", StringComparison.Ordinal) || s.Contains("mmu-500", StringComparison.Ordinal));

    private static void CheckDevmem(RuleContext c)
    {
        var property = c.Node.FindProperty("qcom,devmem");
        if (property is null) return;
        if (property.Length == 0 || property.Length % 16 != 0)
        {
            c.Fail(BindingRules.Devmem, $"'qcom,devmem' is {property.Length / 4.0:0.##} cells, expected a non-empty multiple of 4 (da, pa, size, prot)");
            return;
        }

        var rows = c.Node.GetDevmem();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if ((uint)row.Protection is < 1 or > 31)
                c.Fail(BindingRules.Devmem, $"'qcom,devmem' row {i} has prot 0x{(uint)row.Protection:x}, expected 1..31 (IOMMU_READ|WRITE|CACHE|NOEXEC|MMIO)");
            if (row.Size == 0)
                c.Fail(BindingRules.Devmem, $"'qcom,devmem' row {i} has size 0");
            for (var j = 0; j < i; j++)
            {
                if (Overlaps(rows[j].DeviceAddress, rows[j].DeviceEnd, row.DeviceAddress, row.DeviceEnd))
                    c.Fail(BindingRules.Devmem, $"'qcom,devmem' row {i} device range [0x{row.DeviceAddress:x}, 0x{row.DeviceEnd:x}) overlaps row {j} [0x{rows[j].DeviceAddress:x}, 0x{rows[j].DeviceEnd:x})");
                else if (Overlaps(rows[j].PhysicalAddress, rows[j].PhysicalEnd, row.PhysicalAddress, row.PhysicalEnd))
                    c.Fail(BindingRules.Devmem, $"'qcom,devmem' row {i} physical range [0x{row.PhysicalAddress:x}, 0x{row.PhysicalEnd:x}) overlaps row {j} [0x{rows[j].PhysicalAddress:x}, 0x{rows[j].PhysicalEnd:x})");
            }
        }
    }

    private static bool Overlaps(ulong aStart, ulong aEnd, ulong bStart, ulong bEnd) => aStart < bEnd && bStart < aEnd;

    private static void CheckMemoryRegions(RuleContext c)
    {
        foreach (var region in c.Node.GetMemoryRegions())
        {
            if (region.Parent?.Parent?.IsRoot != true || region.Parent.Name != "reserved-memory")
            {
                c.Fail(BindingRules.MemoryRegion, $"'memory-region' refers to {region.Path}, which is not a child of /reserved-memory");
                continue;
            }

            if (!region.HasProperty("no-map"))
                c.Fail(BindingRules.MemoryRegion, $"'memory-region' refers to {region.Path}, which lacks 'no-map' (firmware carveouts must not be mapped by Linux)");
            if (region.GetReg().Count == 0)
                c.Fail(BindingRules.MemoryRegion, $"'memory-region' refers to {region.Path}, which has no 'reg' (a static carveout is needed)");
        }
    }
}

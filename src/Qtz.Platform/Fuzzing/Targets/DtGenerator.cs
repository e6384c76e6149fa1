using Qtz.DeviceTree;

namespace Qtz.Platform.Fuzzing.Targets;

/// <summary>
/// Structure-aware device trees: random but well-formed trees (cells, reg, strings, phandles and
/// references to them), and the SA8775p skeleton the shipped overlays apply to when the real
/// sa8775p-ride.dtb is not at hand.
/// </summary>
internal static class DtGenerator
{
    private static readonly string[] NodeNames = ["soc", "cpu", "memory", "remoteproc", "iommu", "interrupt-controller", "reserved-memory", "chosen", "aliases", "smp2p"];
    private static readonly string[] Compatibles = ["qcom,sa8775p-adsp-pas", "arm,mmu-500", "qcom,smp2p", "simple-bus", "fixed-partitions"];

    public static DtTree RandomTree(Random random)
    {
        var tree = new DtTree();
        tree.Root.SetCells("#address-cells", 2);
        tree.Root.SetCells("#size-cells", 2);
        tree.Root.SetString("model", "fuzz " + random.Next(1000));
        var phandles = new List<uint>();
        var nodes = 0;
        AddChildren(tree.Root, random, depth: 0, phandles, ref nodes);
        if (random.Next(2) == 0) tree.ReserveEntries.Add(new FdtReserveEntry((ulong)random.Next() << 12, (ulong)random.Next(1, 1 << 20)));
        return tree;
    }

    private static void AddChildren(DtNode parent, Random random, int depth, List<uint> phandles, ref int nodes)
    {
        for (var count = random.Next(depth == 0 ? 6 : 4); count > 0 && nodes < 64; count--)
        {
            var baseName = NodeNames[random.Next(NodeNames.Length)];
            var name = random.Next(2) == 0 ? $"{baseName}@{random.Next(0x10000):x}" : $"{baseName}-{nodes}";
            if (parent.Children.Any(c => c.Name == name)) continue;
            var node = parent.AddChild(name);
            nodes++;
            node.SetString("compatible", Compatibles[random.Next(Compatibles.Length)]);
            node.SetCells("reg", 0, (uint)random.Next(), 0, (uint)random.Next(1, 0x10000));
            if (random.Next(3) == 0)
            {
                var phandle = (uint)(phandles.Count + 1);
                node.SetCells("phandle", phandle);
                phandles.Add(phandle);
            }

            if (phandles.Count > 0 && random.Next(3) == 0) node.SetCells("iommus", phandles[random.Next(phandles.Count)], (uint)random.Next(0x4000), 0);
            if (random.Next(4) == 0) node.SetProperty("status", DtValues.String(random.Next(2) == 0 ? "okay" : "disabled"));
            if (random.Next(4) == 0) node.SetProperty("empty-flag", DtValues.Empty());
            if (depth < 4 && random.Next(2) == 0) AddChildren(node, random, depth + 1, phandles, ref nodes);
        }
    }

    /// <summary>The nodes the shipped SA8775p overlays name (their targets and the SMMU they reference).</summary>
    public static DtTree Sa8775pSkeleton()
    {
        var tree = new DtTree();
        tree.Root.SetCells("#address-cells", 2);
        tree.Root.SetCells("#size-cells", 2);
        tree.Root.SetString("compatible", "qcom,sa8775p-ride");
        var soc = tree.Root.AddChild("soc@0");
        soc.SetCells("#address-cells", 2);
        soc.SetCells("#size-cells", 2);
        var smmu = soc.AddChild("iommu@15000000");
        smmu.SetString("compatible", "arm,mmu-500");
        smmu.SetCells("#iommu-cells", 2);
        smmu.SetCells("phandle", 1);
        foreach (var address in new[] { "30000000", "26300000", "2a300000", "20c00000", "21c00000" })
        {
            var rproc = soc.AddChild("remoteproc@" + address);
            rproc.SetString("compatible", "qcom,sa8775p-adsp-pas");
            rproc.SetCells("reg", 0, Convert.ToUInt32(address, 16), 0, 0x100);
        }

        return tree;
    }
}

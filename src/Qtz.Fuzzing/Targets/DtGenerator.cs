using Qtz.Platform.Socs;
using Qtz.Platform.Boards;
using Qtz.DeviceTree;
using Qtz.DeviceTree.Fdt;
using Qtz.DeviceTree.Model;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// Structure-aware device trees: random but well-formed trees (cells, reg, strings, phandles and
/// references to them), and the skeleton of the default board the shipped overlays apply to.
/// </summary>
internal static class DtGenerator
{
    private static readonly string[] NodeNames = ["soc", "cpu", "memory", "remoteproc", "iommu", "interrupt-controller", "reserved-memory", "chosen", "aliases", "smp2p"];
    private static readonly string[] Compatibles = [SocCatalog.Linux.Compatibles.First(), "arm,mmu-500", "qcom,smp2p", "simple-bus", "fixed-partitions"];

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

    /// <summary>
    /// The default board's tree cut down to what the shipped overlays touch: every PAS remoteproc node and
    /// every SMMU on their paths, with compatible, reg, phandle and #iommu-cells — a small, valid overlay
    /// base that takes its SoC from the embedded DTB rather than naming one here.
    /// </summary>
    public static DtTree OverlaySkeleton()
    {
        var full = DtTree.Parse(DefaultBoard.Dtb());
        var tree = new DtTree();
        tree.Root.SetCells("#address-cells", 2);
        tree.Root.SetCells("#size-cells", 2);
        if (full.Root.FindProperty("compatible") is { } rootCompatible) tree.Root.SetProperty("compatible", rootCompatible.Value.ToArray());
        var keep = BoardDeviceTree.PasNodes(full)
            .Concat(full.Root.DescendantsAndSelf().Where(n => n.GetStringList("compatible").Contains("arm,mmu-500")));
        foreach (var node in keep)
        {
            var copy = tree.Root;
            foreach (var part in node.Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                copy = copy.GetOrAddChild(part);
                if (copy.FindProperty("#address-cells") is null && copy != tree.Root) { copy.SetCells("#address-cells", 2); copy.SetCells("#size-cells", 2); }
            }

            foreach (var name in (string[])["compatible", "reg", "phandle", "#iommu-cells"])
            {
                if (node.FindProperty(name) is { } property) copy.SetProperty(name, property.Value.ToArray());
            }
        }

        return tree;
    }
}

using Qtz.DeviceTree;
using Qtz.Kernel.Mtd;
using Qtz.DeviceTree.Model;
using Qtz.Kernel.Mtd.Partitions;

namespace Qtz.Platform.Storage;

/// <summary>
/// Finds a flash's <c>partitions</c> node in a real device tree and hands it to the kernel's ofpart
/// parser in its neutral form. The SCM storage device is a platform device qcom_scm creates without
/// an of_node, so on hardware only <c>mtdparts=</c> reaches it; qtz lets a DT describe the layout too
/// (the same fixed-partitions binding an SPI-NOR node would carry), which is how board files state it.
/// </summary>
public static class DtFlashPartitions
{
    public const string Compatible = "fixed-partitions";

    /// <summary>
    /// The node at <paramref name="nodePath"/> (a fixed-partitions node, or a flash node whose
    /// <c>partitions</c> child is one); without a path, the tree's only fixed-partitions node.
    /// </summary>
    public static FixedPartitionsNode Find(DtTree tree, string? nodePath)
    {
        ArgumentNullException.ThrowIfNull(tree);
        DtNode node;
        if (nodePath is not null)
        {
            var at = tree.FindNode(nodePath) ?? throw new ArgumentException($"the device tree has no node '{nodePath}'");
            node = IsFixedPartitions(at) ? at
                : at.FindChild("partitions") is { } child && IsFixedPartitions(child) ? child
                : throw new ArgumentException($"{at.Path} is not a \"{Compatible}\" node and has no \"partitions\" child that is");
        }
        else
        {
            var all = tree.Root.DescendantsAndSelf().Where(IsFixedPartitions).ToList();
            node = all.Count switch
            {
                0 => throw new ArgumentException($"the device tree has no \"{Compatible}\" node; give the flash's partitions node with --dt-node"),
                1 => all[0],
                _ => throw new ArgumentException($"the device tree has {all.Count} \"{Compatible}\" nodes ({string.Join(", ", all.Select(n => n.Path))}); choose one with --dt-node"),
            };
        }

        return Convert(node);
    }

    public static FixedPartitionsNode Convert(DtNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var children = node.Children.Select(c => new FixedPartitionNode(c.Path, c.Name, c.FindProperty("reg")?.Value,
            c.GetString("label"), c.HasProperty("read-only"), c.HasProperty("lock"))).ToList();
        return new FixedPartitionsNode(node.Path, node.GetStringList("compatible"), Cells(node, "#address-cells"), Cells(node, "#size-cells"), children);
    }

    private static bool IsFixedPartitions(DtNode node) => node.IsCompatible(Compatible);

    // of_n_addr_cells/of_n_size_cells: the node's own value, else the nearest ancestor's, else 1.
    private static uint Cells(DtNode node, string name)
    {
        for (var n = node; n is not null; n = n.Parent)
        {
            if (n.FindProperty(name) is { Length: 4 } cells) return cells.AsU32();
        }

        return 1;
    }
}

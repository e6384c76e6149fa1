using Qtz.DeviceTree;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Xunit;
using Qtz.DeviceTree.Model;

namespace Qtz.Platform.Tests.Storage;

public sealed class DtFlashPartitionsTests
{
    /// <summary>A QSPI controller with a NOR whose layout is in a fixed-partitions child, like board files write it.</summary>
    internal static DtTree Board(int partitionNodes = 1)
    {
        var tree = new DtTree();
        var spi = tree.Root.AddChild("soc@0").AddChild("spi@88dc000");
        spi.SetCells("#address-cells", 1);
        spi.SetCells("#size-cells", 0);
        for (var i = 0; i < partitionNodes; i++)
        {
            var flash = spi.AddChild($"flash@{i}");
            flash.SetString("compatible", "jedec,spi-nor");
            var parts = flash.AddChild("partitions");
            parts.SetProperty("compatible", DtValues.StringList("fixed-partitions"));
            parts.SetCells("#address-cells", 1);
            parts.SetCells("#size-cells", 1);
            var boot = parts.AddChild("partition@0");
            boot.SetString("label", "boot");
            boot.SetCells("reg", 0, 0x10000);
            boot.SetProperty("read-only", []);
            parts.AddChild("data@10000").SetCells("reg", 0x10000, 0x30000);
        }

        return tree;
    }

    [Fact]
    public void The_only_fixed_partitions_node_is_found_and_converted_with_labels_and_flags()
    {
        var node = DtFlashPartitions.Find(Board(), null);
        Assert.Equal("/soc@0/spi@88dc000/flash@0/partitions", node.Path);
        Assert.Equal((1u, 1u), (node.AddressCells, node.SizeCells));
        Assert.Equal(["boot", null], node.Children.Select(c => c.Label));
        Assert.True(node.Children[0].ReadOnly);
        Assert.False(node.Children[1].ReadOnly);
    }

    [Fact]
    public void The_flash_node_path_leads_to_its_partitions_child()
    {
        var node = DtFlashPartitions.Find(Board(2), "/soc@0/spi@88dc000/flash@1");
        Assert.Equal("/soc@0/spi@88dc000/flash@1/partitions", node.Path);
    }

    [Fact]
    public void Several_candidates_without_a_path_are_refused_with_their_paths()
    {
        var error = Assert.Throws<ArgumentException>(() => DtFlashPartitions.Find(Board(2), null));
        Assert.Contains("flash@1/partitions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_without_fixed_partitions_or_a_path_to_a_plain_node_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DtFlashPartitions.Find(new DtTree(), null));
        Assert.Throws<ArgumentException>(() => DtFlashPartitions.Find(Board(), "/soc@0"));
        Assert.Throws<ArgumentException>(() => DtFlashPartitions.Find(Board(), "/nowhere"));
    }

    [Fact]
    public void Missing_cell_counts_come_from_the_nearest_ancestor_as_of_n_addr_cells_does()
    {
        var tree = Board();
        var parts = tree.GetNode("/soc@0/spi@88dc000/flash@0/partitions");
        parts.RemoveProperty("#address-cells");
        parts.RemoveProperty("#size-cells");
        var node = DtFlashPartitions.Find(tree, null);
        Assert.Equal((1u, 0u), (node.AddressCells, node.SizeCells));
    }

    [Fact]
    public void The_board_registers_the_dt_partitions_with_ofpart_and_forces_the_read_only_one()
    {
        using var board = StorageBoard.InMemory(Qtz.Soc.Nor.NorPartTable.ForSize(1 << 20), new StorageBoardOptions
        {
            AllowWrite = true,
            DtPartitions = DtFlashPartitions.Find(Board(), null),
        });
        Assert.Equal(0, board.ProbeResult);
        var boot = board.FindDevice("boot")!;
        var data = board.FindDevice("data")!;
        Assert.Equal((0UL, 0x10000UL), (boot.PartitionOffset, boot.Size));
        Assert.Equal((0x10000UL, 0x30000UL), (data.PartitionOffset, data.Size));
        Assert.False(boot.Flags.HasFlag(MtdFlags.Writeable));
        Assert.True(data.Flags.HasFlag(MtdFlags.Writeable));
    }
}

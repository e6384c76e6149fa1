using Xunit;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Properties;

namespace Qtz.DeviceTree.Tests.Properties;

public class TypedAccessTests
{
    private const string Adsp = "/soc@0/remoteproc@30000000";
    private static readonly DtTree Ride = RealDtbs.Load("sa8775p-ride.dtb");

    [Fact]
    public void Reg_is_decoded_with_the_parents_cell_counts()
    {
        var node = Ride.GetNode(Adsp);
        Assert.Equal((2u, 2u), node.RegCells);
        Assert.Equal([new RegEntry(0x3000_0000, 0x100)], node.GetReg());
    }

    [Fact]
    public void Ranges_use_child_parent_and_size_cells()
    {
        var soc = Ride.GetNode("/soc@0");
        Assert.Equal([new RangeEntry(0, 0, 0x10_0000_0000)], soc.GetRanges());
    }

    [Fact]
    public void Interrupts_extended_are_decoded_per_controller()
    {
        var irqs = Ride.GetNode(Adsp).GetInterrupts();
        Assert.Equal(5, irqs.Count);
        Assert.Equal([6u, 1u], irqs[0].Args);
        Assert.Equal("/smp2p-adsp/slave-kernel", irqs[1].Target.Path);
        Assert.Equal([3u, 1u], irqs[4].Args);
    }

    [Fact]
    public void Plain_interrupts_use_the_inherited_interrupt_parent()
    {
        var smmu = Ride.GetNode("/soc@0/iommu@15000000");
        var irqs = smmu.GetInterrupts();
        Assert.Equal("/soc@0/interrupt-controller@17a00000", irqs[0].Target.Path);
        Assert.Equal([0u, 0x77u, 4u], irqs[0].Args);
    }

    [Fact]
    public void Memory_region_resolves_to_the_no_map_carveout()
    {
        var region = Assert.Single(Ride.GetNode(Adsp).GetMemoryRegions());
        Assert.Equal("/reserved-memory/pil-adsp@95c00000", region.Path);
        Assert.Equal([new RegEntry(0x95c0_0000, 0x1e0_0000)], region.GetReg());
        Assert.Contains(Ride.GetReservedMemory(), r => r.Node == region && r.NoMap);
    }

    [Fact]
    public void Smem_states_use_the_providers_cell_count()
    {
        var state = Assert.Single(Ride.GetNode(Adsp).GetSmemStates());
        Assert.Equal([0u], state.Args);
        Assert.Equal("/smp2p-adsp/master-kernel", state.Target.Path);
    }

    [Fact]
    public void Iommus_need_the_smmus_iommu_cells()
    {
        var cb = Ride.GetNode(Adsp + "/glink-edge/fastrpc/compute-cb@3");
        var iommu = Assert.Single(cb.GetIommus());
        Assert.Equal("/soc@0/iommu@15000000", iommu.Target.Path);
        Assert.Equal([0x3003u, 0u], iommu.Args);
    }

    [Fact]
    public void A_uint32_matrix_splits_into_rows()
    {
        var tree = new DtTree();
        var node = tree.Root.AddChild("dsp");
        node.SetCells("qcom,devmem", 1, 2, 3, 4, 5, 6, 7, 8);
        Assert.Equal([[1u, 2u, 3u, 4u], [5u, 6u, 7u, 8u]], node.GetProperty("qcom,devmem").AsMatrix(4));
        Assert.Equal(new DevmemEntry(5, 6, 7, IommuProt.NoExec), node.GetDevmem()[1]);
    }

    [Fact]
    public void Strings_and_string_lists_are_read()
    {
        var node = Ride.GetNode("/soc@0/iommu@15000000");
        Assert.Equal(["qcom,sa8775p-smmu-500", "qcom,smmu-500", "arm,mmu-500"], node.GetStringList("compatible"));
        Assert.True(node.IsCompatible("arm,mmu-500"));
        Assert.Equal("Qualcomm SA8775P Ride", Ride.Root.GetString("model"));
    }

    [Fact]
    public void U64_values_are_read_from_one_or_two_cells()
    {
        var tree = new DtTree();
        tree.Root.SetProperty("big", DtValues.U64(0x1_2345_6789));
        tree.Root.SetCells("small", 7);
        Assert.Equal(0x1_2345_6789ul, tree.Root.GetProperty("big").AsU64());
        Assert.Equal(7ul, tree.Root.GetProperty("small").AsU64());
    }

    [Fact]
    public void Paths_resolve_absolute_by_unit_less_name_and_through_aliases()
    {
        Assert.Equal("/soc@0", Ride.GetNode("/soc").Path);
        Assert.Equal("/soc@0/geniqup@ac0000/serial@a8c000", Ride.GetNode("serial0").Path);
        Assert.Equal("/soc@0/geniqup@ac0000/serial@a8c000", Ride.Aliases["serial0"]);
        Assert.Null(Ride.FindNode("/soc@0/nothing"));
        Assert.Throws<DtNotFoundException>(() => Ride.GetNode("nonalias"));
    }

    [Fact]
    public void Phandles_find_their_nodes_and_the_maximum_is_known()
    {
        Assert.Equal("/soc@0/iommu@15000000", Ride.FindByPhandle(0x2a)!.Path);
        Assert.Null(Ride.FindByPhandle(0xdead));
        Assert.True(Ride.MaxPhandle >= 0xb2);
        Assert.Empty(Ride.DuplicatePhandles);
    }

    [Fact]
    public void Memory_comes_from_the_memory_node()
    {
        Assert.Equal([new RegEntry(0x8000_0000, 0)], Ride.GetMemory());
    }

    [Fact]
    public void Symbols_are_read_when_present_and_empty_in_shipped_dtbs()
    {
        Assert.Empty(Ride.Symbols);
        var tree = Ride.Clone();
        tree.Root.AddChild("__symbols__").SetString("apps_smmu", "/soc@0/iommu@15000000");
        Assert.Equal("/soc@0/iommu@15000000", tree.Symbols["apps_smmu"]);
    }

    [Fact]
    public void Wrong_lengths_are_typed_errors_naming_node_and_property()
    {
        var tree = new DtTree();
        var node = tree.Root.AddChild("n@1");
        node.SetProperty("reg", [1, 2, 3]);
        var error = Assert.Throws<DtValueException>(() => node.GetReg());
        Assert.Equal("/n@1", error.NodePath);
        Assert.Contains("'reg' is 3 bytes", error.Message);
        node.SetCells("iommus", 0x99);
        Assert.Contains("phandle 0x99", Assert.Throws<DtValueException>(() => node.GetIommus()).Message);
    }

    [Fact]
    public void Mutations_invalidate_the_phandle_index()
    {
        var tree = Ride.Clone();
        var cpus = tree.GetNode("/cpus");
        Assert.Null(tree.FindByPhandle(0x9999));
        cpus.SetCells("phandle", 0x9999);
        Assert.Same(cpus, tree.FindByPhandle(0x9999));
        Assert.True(tree.Root.RemoveChild(cpus));
        Assert.Null(tree.FindByPhandle(0x9999));
    }
}

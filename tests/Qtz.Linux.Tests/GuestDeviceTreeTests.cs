using Qtz.DeviceTree;
using Qtz.Soc;
using Xunit;
using Qtz.DeviceTree.Model;
using Qtz.Linux.Guest;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Linux.Tests;

public sealed class GuestDeviceTreeTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"qtz-dt-{Guid.NewGuid():n}");
    private readonly MappedFileRam _ram;
    private readonly GuestWorld _world;

    public GuestDeviceTreeTests()
    {
        _ram = MappedFileRam.Create(_path, GuestMemoryMap.Ram.Size);
        _world = new GuestWorld(_ram);
    }

    public void Dispose()
    {
        _world.Dispose();
        _ram.Dispose();
        File.Delete(_path);
    }

    private static byte[] VirtLike()
    {
        var tree = new DtTree();
        tree.Root.SetCells("#address-cells", 2);
        tree.Root.SetCells("#size-cells", 2);
        tree.Root.AddChild("memory@40000000").SetCells("reg", 0, 0x4000_0000, 0, 0x4000_0000);
        tree.Root.AddChild("chosen").SetString("stdout-path", "/pl011@9000000");
        return tree.ToBlob();
    }

    private DtTree Build(params ILinuxGuestExtension[] extensions) =>
        GuestDeviceTree.Build(VirtLike(), "console=ttyAMA0", new PhysRange(GuestMemoryMap.Initrd, 0x1234), _world, extensions);

    [Fact]
    public void The_qcom_scm_node_makes_the_real_driver_probe()
    {
        Assert.Equal("qcom,scm", Build().GetNode("/firmware/scm").GetProperty("compatible").AsString());
    }

    [Fact]
    public void PSCI_uses_the_SMC_conduit_the_monitor_answers()
    {
        var psci = Build().GetNode("/psci");
        Assert.Equal("smc", psci.GetProperty("method").AsString());
        Assert.Contains("arm,psci-0.2", psci.GetStringList("compatible"));
    }

    [Fact]
    public void The_mailbox_page_and_the_firmware_carveout_are_reserved_no_map()
    {
        var reserved = Build().GetNode("/reserved-memory");
        var mailbox = reserved.FindChild($"qtz-mailbox@{GuestMemoryMap.Mailbox.Base.Value:x}")!;
        Assert.True(mailbox.HasProperty("no-map"));
        var reg = Assert.Single(mailbox.GetReg());
        Assert.Equal((GuestMemoryMap.Mailbox.Base.Value, GuestMemoryMap.Mailbox.Size), (reg.Address, reg.Size));
        Assert.NotNull(reserved.FindChild($"qtz-fw@{GuestMemoryMap.FirmwareCarveout.Base.Value:x}"));
    }

    [Fact]
    public void Chosen_keeps_QEMUs_stdout_path_and_gets_the_initrd_and_bootargs()
    {
        var chosen = Build().GetNode("/chosen");
        Assert.Equal("/pl011@9000000", chosen.GetProperty("stdout-path").AsString());
        Assert.Equal("console=ttyAMA0", chosen.GetProperty("bootargs").AsString());
        Assert.Equal(GuestMemoryMap.Initrd.Value + 0x1234, chosen.GetProperty("linux,initrd-end").AsU64());
    }

    [Fact]
    public void Extensions_add_their_nodes_after_qtzs()
    {
        var tree = Build(new NodeAdder());
        Assert.True(tree.GetNode("/remoteproc-test").HasProperty("seen-scm"));
    }

    private sealed class NodeAdder : ILinuxGuestExtension
    {
        public void AddDeviceTreeNodes(GuestWorld world, DtTree tree)
        {
            var node = tree.Root.AddChild("remoteproc-test");
            if (tree.FindNode("/firmware/scm") is not null) node.SetProperty("seen-scm", DtValues.Empty());
        }
    }
}

using Qtz.Platform.Boards;
using Qtz.Kernel;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Platform.Tests.Scm;

/// <summary>SHM bridges and hyp-assign, driven by the kernel client against the real dispatcher.</summary>
public sealed class ScmBridgeEnforcementTests
{
    private readonly RoundTripService _service = new();

    private SecureChannel Channel(SecureChannelOptions? options = null) => _service.NewChannel(options);

    private static int ReadEight(SecureChannel channel, PhysAddr address, out ulong value)
    {
        var ret = channel.Scm.Call(new ScmDesc(RoundTripService.Service, 2, ArgInfo.Of(ScmArgType.Ro), address.Value), out var res);
        value = res.Result0;
        return ret;
    }

    [Fact]
    public void With_bridges_on_tzmem_buffers_are_accepted_and_plain_DMA_memory_is_refused()
    {
        var channel = Channel();
        Assert.True(channel.World.Bridges.Enabled);
        using var shared = channel.Scm.Pool!.Allocate(8)!;
        shared.Write(0, BitConverter.GetBytes(0x1122334455667788UL));
        Assert.Equal(0, ReadEight(channel, shared.Address, out var value));
        Assert.Equal(0x1122334455667788UL, value);

        Assert.True(channel.Dma.TryAllocate(0x1000, out var plain));
        Assert.Equal(-ScmErrno.EINVAL, ReadEight(channel, plain.Base, out _));

        ulong handle = 0;
        Assert.Equal(0, channel.Scm.TzMem.ShmBridgeCreate(plain.Base, plain.Size, ref handle));
        Assert.Equal(0, ReadEight(channel, plain.Base, out _));
        Assert.Equal(0, channel.Scm.TzMem.ShmBridgeDelete(handle));
        Assert.Equal(-ScmErrno.EINVAL, ReadEight(channel, plain.Base, out _));
    }

    [Fact]
    public void Without_bridge_support_any_non_secure_RAM_is_accepted()
    {
        var channel = Channel(new SecureChannelOptions { ShmBridges = global::Qtz.Secure.ShmBridges.ShmBridgeSupport.NotSupported });
        Assert.False(channel.Scm.TzMem.UsingShmBridge);
        Assert.True(channel.Dma.TryAllocate(0x1000, out var plain));
        Assert.Equal(0, ReadEight(channel, plain.Base, out _));
        Assert.Equal(-ScmErrno.EINVAL, ReadEight(channel, new PhysAddr(0x1000), out _));
    }

    [Fact]
    public void Bridge_over_an_existing_bridge_is_refused()
    {
        var channel = Channel();
        var area = channel.Scm.Pool!.Allocate(1)!.Range;
        ulong handle = 0;
        Assert.Equal(-ScmErrno.EINVAL, channel.Scm.TzMem.ShmBridgeCreate(area.Base, area.Size, ref handle));
    }

    [Fact]
    public void Hyp_assign_hands_memory_to_another_VM_and_back()
    {
        var channel = Channel();
        var region = new PhysAddr(0x9000_0000);
        ulong owners = 1UL << Vmid.Hlos.Value;

        Assert.Equal(0, channel.Scm.AssignMem(region, 0x10000, ref owners, [new ScmVmPermission(Vmid.MssMsa, ScmPermissions.ReadWrite)]));
        Assert.Equal(1UL << Vmid.MssMsa.Value, owners);
        Assert.Equal(BusStatus.Denied, channel.Bus.Read(channel.Scm.Cpu, region, new byte[4]));

        Assert.Equal(0, channel.Scm.AssignMem(region, 0x10000, ref owners, [new ScmVmPermission(Vmid.Hlos, ScmPermissions.ReadWriteExec)]));
        Assert.Equal(1UL << Vmid.Hlos.Value, owners);
        Assert.Equal(BusStatus.Ok, channel.Bus.Read(channel.Scm.Cpu, region, new byte[4]));
        Assert.Equal(0, channel.Scm.Pool!.LiveChunks);
    }

    [Fact]
    public void Hyp_assign_with_the_wrong_source_owners_fails_and_leaves_them_unchanged()
    {
        var channel = Channel();
        ulong owners = 1UL << Vmid.MssMsa.Value;
        Assert.Equal(-ScmErrno.EINVAL, channel.Scm.AssignMem(new PhysAddr(0x9000_0000), 0x10000, ref owners, [new ScmVmPermission(Vmid.Hlos, ScmPermissions.ReadWrite)]));
        Assert.Equal(1UL << Vmid.MssMsa.Value, owners);
        Assert.Empty(channel.Bus.Protection.Regions);
    }
}

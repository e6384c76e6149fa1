using Qtz.Soc;
using Xunit;
using Qtz.Secure.Scm;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Tests.Scm;

public sealed class ShmBridgeServiceTests
{
    private const ulong Area = 0x8020_0000;

    private readonly SecureTestBench _tz = new();

    private SmcResult ReadAt(ulong address, ulong length, ScmArgType type = ScmArgType.Ro) =>
        _tz.Std64(EchoService.Service, 2, ArgInfo.Of(type, ScmArgType.Val), address, length);

    [Fact]
    public void Create_returns_a_handle_in_x2_and_records_the_unpacked_bridge()
    {
        var r = _tz.CreateBridge(Area, 0x3000);
        Assert.Equal((0L, 0UL), (r.Status, r.X1));
        var bridge = Assert.Single(_tz.World.Bridges.Live);
        Assert.Equal(r.X2, bridge.Handle);
        Assert.Equal(new PhysRange(new PhysAddr(Area), 0x3000), bridge.Range);
        Assert.Equal(AccessPermissions.ReadWrite, bridge.NonSecure);
        Assert.Equal(1u << 9, bridge.SizeFlags);
        Assert.Equal(3UL, bridge.NsVmids);
    }

    [Fact]
    public void Create_refuses_an_overlap_with_a_live_bridge()
    {
        _tz.CreateBridge(Area, 0x3000);
        Assert.Equal(ScmStatus.InvalidArgument, _tz.CreateBridge(Area + 0x2000, 0x2000).Status);
        Assert.Equal(ScmStatus.InvalidArgument, _tz.CreateBridge(Area - 0x1000, 0x2000).Status);
        Assert.Equal(ScmStatus.Success, _tz.CreateBridge(Area + 0x3000, 0x1000).Status);
    }

    [Fact]
    public void Create_refuses_zero_size() => Assert.Equal(ScmStatus.InvalidArgument, _tz.CreateBridge(Area, 0).Status);

    [Fact]
    public void Create_refuses_a_misaligned_address() => Assert.Equal(ScmStatus.InvalidAddress, _tz.CreateBridge(Area + 0x80, 0x1000).Status);

    [Fact]
    public void Create_refuses_memory_that_is_not_non_secure_RAM()
    {
        Assert.Equal(ScmStatus.InvalidAddress, _tz.CreateBridge(0x1000, 0x1000).Status);
        _tz.Bus.Protection.Set(BusMaster.SecureWorld, ProtectionRegion.Exclusive("carveout", new PhysRange(new PhysAddr(Area), 0x1000), AccessPermissions.All, Vmid.Tz));
        Assert.Equal(ScmStatus.InvalidAddress, _tz.CreateBridge(Area, 0x1000).Status);
    }

    [Fact]
    public void Delete_removes_the_bridge_and_an_unknown_handle_fails()
    {
        var handle = _tz.CreateBridge(Area, 0x1000).X2;
        Assert.Equal(ScmStatus.Success, _tz.DeleteBridge(handle).Status);
        Assert.Empty(_tz.World.Bridges.Live);
        Assert.Equal(ScmStatus.InvalidArgument, _tz.DeleteBridge(handle).Status);
        Assert.Equal(ScmStatus.InvalidArgument, _tz.DeleteBridge(0xDEAD).Status);
    }

    [Fact]
    public void Enable_on_firmware_without_support_answers_result_four()
    {
        var tz = new SecureTestBench(support: ShmBridgeSupport.NotSupported);
        Assert.Equal(new SmcResult(0, ShmBridgeService.ResultNotSupported), tz.EnableBridges());
        Assert.False(tz.World.Bridges.Enabled);
    }

    [Fact]
    public void Before_enable_any_non_secure_RAM_buffer_is_accepted()
    {
        Assert.Equal(ScmStatus.Success, ReadAt(Area, 0x100).Status);
        Assert.Equal(ScmStatus.InvalidAddress, ReadAt(0x1000, 0x100).Status);
    }

    [Fact]
    public void Once_enabled_a_buffer_must_lie_wholly_inside_one_live_bridge()
    {
        _tz.EnableBridges();
        var handle = _tz.CreateBridge(Area, 0x2000).X2;
        _tz.CreateBridge(Area + 0x2000, 0x1000);
        Assert.Equal(ScmStatus.Success, ReadAt(Area, 0x2000).Status);
        Assert.Equal(ScmStatus.Success, ReadAt(Area + 0x1FF8, 8).Status);
        Assert.Equal(ScmStatus.InvalidAddress, ReadAt(Area + 0x1FF8, 16).Status);
        Assert.Equal(ScmStatus.InvalidAddress, ReadAt(Area - 8, 16).Status);
        _tz.DeleteBridge(handle);
        Assert.Equal(ScmStatus.InvalidAddress, ReadAt(Area, 8).Status);
    }

    [Fact]
    public void A_read_only_bridge_refuses_a_buffer_TZ_would_write()
    {
        _tz.EnableBridges();
        _tz.CreateBridge(Area, 0x1000, nsPerm: 0x4);
        Assert.Equal(ScmStatus.Success, ReadAt(Area, 8).Status);
        Assert.Equal(ScmStatus.InvalidAddress, _tz.Std64(EchoService.Service, 3, ArgInfo.Of(ScmArgType.Rw, ScmArgType.Val), Area, 8).Status);
    }

    [Fact]
    public void A_value_argument_is_not_a_buffer() =>
        Assert.Equal(ScmStatus.InvalidArgument, ReadAt(Area, 8, ScmArgType.Val).Status);

    [Fact]
    public void A_read_only_argument_cannot_be_written() =>
        Assert.Equal(ScmStatus.InvalidArgument, _tz.Std64(EchoService.Service, 3, ArgInfo.Of(ScmArgType.Ro, ScmArgType.Val), Area, 8).Status);

    [Fact]
    public void Memory_the_caller_itself_may_not_touch_is_refused_even_without_bridges()
    {
        _tz.Bus.Protection.Set(BusMaster.SecureWorld, ProtectionRegion.Exclusive("dsp", new PhysRange(new PhysAddr(Area), 0x1000), AccessPermissions.All, Vmid.AdspQ6));
        Assert.Equal(ScmStatus.InvalidAddress, ReadAt(Area, 8).Status);
    }
}

using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Smc;

public sealed class SmcConduitTests
{
    private static readonly uint Echo = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc64, SmcOwner.Sip, 0x42, 0x01).Value;

    private readonly SystemBus _bus;
    private readonly SmcConduit _conduit;
    private readonly List<SmcTraceEvent> _events = [];

    public SmcConduitTests()
    {
        _bus = new SystemBus(new VirtualClock());
        _bus.AddRam("ddr", new PhysAddr(0x8000_0000), 0x100_0000);
        _conduit = new SmcConduit(_bus);
    }

    private sealed class Monitor : ISecureMonitor
    {
        public List<SmcCall> Calls { get; } = [];

        public SmcResult Handle(in SmcCall call)
        {
            Calls.Add(call);
            return new SmcResult(0, call.X2, call.X3, call.X4, 0x77);
        }
    }

    private sealed class HypTrap(Func<SmcCall, bool> traps) : IHypervisorSmcTrap
    {
        public int Count { get; private set; }

        public bool Traps(in SmcCall call) => traps(call);

        public SmcResult Trap(in SmcCall call, SmcConduit conduit)
        {
            Count++;
            return new SmcResult(0, 0xEE);
        }
    }

    [Fact]
    public void Without_a_secure_monitor_every_SMC_is_not_supported() =>
        Assert.Equal(-1L, _conduit.Smc(new SmcCall(BusMaster.LinuxEl2, Echo)).Status);

    [Fact]
    public void Registers_reach_the_monitor_and_x0_to_x3_and_x6_come_back()
    {
        var monitor = new Monitor();
        _conduit.Attach(monitor);
        var r = _conduit.Smc(new SmcCall(BusMaster.LinuxEl1, Echo, 3, 10, 20, 30, 40, 50, 60));
        Assert.Equal(new SmcResult(0, 10, 20, 30, 0x77), r);
        Assert.Equal(new SmcCall(BusMaster.LinuxEl1, Echo, 3, 10, 20, 30, 40, 50, 60), monitor.Calls.Single());
        Assert.Equal(1, _conduit.CallCount);
    }

    [Fact]
    public void A_second_monitor_cannot_be_attached()
    {
        _conduit.Attach(new Monitor());
        Assert.Throws<InvalidOperationException>(() => _conduit.Attach(new Monitor()));
    }

    [Fact]
    public void Only_EL1_calls_the_hypervisor_chooses_are_trapped()
    {
        var monitor = new Monitor();
        _conduit.Attach(monitor);
        var trap = new HypTrap(c => c.X2 == 1);
        _conduit.HypervisorTrap = trap;
        Assert.Equal(0xEEUL, _conduit.Smc(new SmcCall(BusMaster.LinuxEl1, Echo, 1, 1)).X1);
        Assert.Equal(2UL, _conduit.Smc(new SmcCall(BusMaster.LinuxEl1, Echo, 1, 2)).X1);
        Assert.Equal(1UL, _conduit.Smc(new SmcCall(BusMaster.LinuxEl2, Echo, 1, 1)).X1);
        Assert.Equal(1UL, _conduit.Smc(new SmcCall(BusMaster.Hyp, Echo, 1, 1)).X1);
        Assert.Equal(1, trap.Count);
    }

    [Fact]
    public void Ext_args_the_trace_cannot_read_are_shown_as_unknown()
    {
        _conduit.Attach(new Monitor());
        _conduit.Traced += _events.Add;
        _conduit.Smc(new SmcCall(BusMaster.LinuxEl2, Echo, ArgInfo.Values(6).Value, 1, 2, 3, 0x10));
        var e = _events.Single();
        Assert.Equal([1UL, 2, 3, null, null, null], e.Arguments.Select(a => a.Value));
        Assert.Contains("val:?", e.ToString());
    }

    [Fact]
    public void The_trace_reads_ext_args_without_recording_bus_faults()
    {
        _conduit.Attach(new Monitor());
        _conduit.Traced += _events.Add;
        _bus.Protection.Set(BusMaster.SecureWorld, ProtectionRegion.Exclusive("tz", new PhysRange(new PhysAddr(0x8000_0000), 0x1000), AccessPermissions.All, Vmid.Tz));
        _conduit.Smc(new SmcCall(BusMaster.LinuxEl2, Echo, ArgInfo.Values(5).Value, 1, 2, 3, 0x8000_0000));
        Assert.Equal(0, _bus.FaultCount);
        Assert.Equal(5, _events.Single().Arguments.Length);
    }

    [Fact]
    public void SMC32_arguments_are_traced_as_32_bit_values()
    {
        _conduit.Attach(new Monitor());
        _conduit.Traced += _events.Add;
        var id = FunctionId.Create(SmcCallType.Fast, SmcConvention.Smc32, SmcOwner.Sip, 0x42, 1);
        _conduit.Smc(new SmcCall(BusMaster.LinuxEl1, id.Value, 1, 0x1_0000_0005));
        Assert.Equal(5UL, _events.Single().Arguments.Single().Value);
        Assert.Contains("fast smc32", _events.Single().ToString());
    }

    [Fact]
    public void Calls_of_other_owners_are_traced_by_number_without_arguments()
    {
        _conduit.Attach(new Monitor());
        _conduit.Traced += _events.Add;
        _conduit.Smc(new SmcCall(BusMaster.LinuxEl2, 0x8400_0000, 5, 1));
        Assert.Equal("STD.0x0000", _events.Single().Name);
        Assert.Empty(_events.Single().Arguments);
    }
}

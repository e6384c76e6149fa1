using Qtz.Platform.Boards;
using Qtz.Kernel;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Scm;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Platform.Tests.Scm;

/// <summary>Every SMC becomes one decoded trace event; a hypervisor can trap EL1 calls at the conduit.</summary>
public sealed class ScmTraceTests
{
    private readonly RoundTripService _service = new();
    private readonly List<SmcTraceEvent> _events = [];

    private SecureChannel Channel(int el = 2)
    {
        var channel = _service.NewChannel(new SecureChannelOptions { KernelExceptionLevel = el });
        channel.Conduit.Traced += _events.Add;
        return channel;
    }

    [Fact]
    public void A_call_is_traced_with_its_name_typed_arguments_status_results_and_duration()
    {
        var channel = Channel();
        channel.Clock.Advance(TimeSpan.FromMilliseconds(1));
        channel.Scm.Call(new ScmDesc(0x02, 0x01, ArgInfo.Of(ScmArgType.Val, ScmArgType.Rw), 1, 0x8500_0000), out _);
        var e = _events.Single();
        Assert.Equal("PIL.PAS_INIT_IMAGE", e.Name);
        Assert.Equal(2, e.CallerEl);
        Assert.Equal([new SmcArgument(ScmArgType.Val, 1), new SmcArgument(ScmArgType.Rw, 0x8500_0000)], e.Arguments.ToArray());
        Assert.Equal("ERROR", e.StatusName);
        Assert.Equal("0.001000 linux-el2 smc PIL.PAS_INIT_IMAGE 0x42000201 std smc64 (val:0x1, rw:0x85000000) -> ERROR [0x0 0x0 0x0] 0us", e.ToString());
    }

    [Fact]
    public void Arguments_in_the_ext_args_buffer_are_decoded_into_the_trace()
    {
        var channel = Channel();
        channel.Scm.Call(new ScmDesc(RoundTripService.Service, 1, ArgInfo.Values(7), 1, 2, 3, 4, 5, 6, 7), out _);
        var e = _events.Single(x => x.Name == "SVC_0x42.0x01");
        Assert.Equal([1UL, 2, 3, 4, 5, 6, 7], e.Arguments.Select(a => a.Value!.Value));
        Assert.Equal((7UL, 28UL, 7UL), (e.Result0, e.Result1, e.Result2));
    }

    [Fact]
    public void Virtual_time_spent_in_TZ_is_the_duration()
    {
        var channel = Channel();
        channel.Scm.Call(new ScmDesc(RoundTripService.Service, 5, ArgInfo.None), out _);
        Assert.Equal(TimeSpan.FromMilliseconds(2), _events.Single().Duration);
        Assert.EndsWith(" 2000us", _events.Single().ToString());
    }

    [Fact]
    public void Busy_retries_and_resumes_are_each_an_event()
    {
        var channel = Channel();
        channel.Dispatcher.Faults.Inject(global::Qtz.Secure.Scm.ScmFault.Busy, 2, RoundTripService.Service, 1);
        channel.Dispatcher.Faults.Inject(global::Qtz.Secure.Scm.ScmFault.Interrupted, 1, RoundTripService.Service, 1);
        channel.Scm.Call(new ScmDesc(RoundTripService.Service, 1, ArgInfo.None), out _);
        Assert.Equal(["EBUSY", "EBUSY", "INTERRUPTED", "OK"], _events.Select(e => e.StatusName));
        Assert.Equal("RESUME_INTERRUPTED", _events[^1].Name);
        Assert.Equal(TimeSpan.FromMilliseconds(30), _events[1].Time - _events[0].Time);
    }

    [Fact]
    public void A_hypervisor_trap_sees_EL1_calls_and_forwards_them_as_itself()
    {
        var channel = Channel(el: 1);
        var trap = new ForwardingTrap();
        channel.Conduit.HypervisorTrap = trap;
        Assert.Equal(0, channel.Scm.Call(new ScmDesc(RoundTripService.Service, 1, ArgInfo.Values(1), 5), out var res));
        Assert.Equal(5UL, res.Result1);
        Assert.Equal(1, trap.Trapped);
        Assert.Equal(2, _events.Count);
        Assert.Equal((MasterKind.Hypervisor, false), (_events[0].Caller.Kind, _events[0].TrappedByHypervisor));
        Assert.Equal((1, true), (_events[1].CallerEl, _events[1].TrappedByHypervisor));
        Assert.EndsWith(" trapped", _events[1].ToString());
    }

    [Fact]
    public void EL2_calls_are_never_trapped()
    {
        var channel = Channel(el: 2);
        var trap = new ForwardingTrap();
        channel.Conduit.HypervisorTrap = trap;
        channel.Scm.Call(new ScmDesc(RoundTripService.Service, 1, ArgInfo.None), out _);
        Assert.Equal(0, trap.Trapped);
    }

    private sealed class ForwardingTrap : IHypervisorSmcTrap
    {
        public int Trapped { get; private set; }

        public bool Traps(in SmcCall call) => call.FunctionId.Service == RoundTripService.Service;

        public SmcResult Trap(in SmcCall call, SmcConduit conduit)
        {
            Trapped++;
            return conduit.Smc(call with { Caller = BusMaster.Hyp });
        }
    }
}

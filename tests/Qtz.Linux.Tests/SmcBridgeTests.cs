using Qtz.Linux.Bridge;
using Qtz.Secure;
using Qtz.Soc;
using Xunit;
using Qtz.Linux.Guest;
using Qtz.Secure.Scm;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Tests;

/// <summary>The bridge against a stand-in for the EL3 monitor: the real secure world, a 1 GiB sparse RAM file, no QEMU.</summary>
public sealed class SmcBridgeTests : IDisposable
{
    private const ulong El1 = 0x3C5;
    private const ulong El2 = 0x3C9;
    private const ulong IsCallAvail = 0x4200_0601;
    private readonly string _dir = Directory.CreateTempSubdirectory("qtz-bridge-test-").FullName;
    private readonly MappedFileRam _ram;
    private readonly GuestWorld _world;
    private readonly SmcBridge _bridge;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly FakeMonitor _monitor;

    public SmcBridgeTests()
    {
        _ram = MappedFileRam.Create(Path.Combine(_dir, "ram"), GuestMemoryMap.Ram.Size);
        _world = new GuestWorld(_ram);
        var mailbox = new Mailbox(_ram, GuestMemoryMap.MailboxFileOffset);
        mailbox.Attach();
        _bridge = new SmcBridge(mailbox, _world.Conduit, new GuestClock(_world.Clock), Path.Combine(_dir, "db.sock"));
        _thread = new Thread(() => _bridge.Run(_stop.Token)) { IsBackground = true };
        _thread.Start();
        _monitor = new FakeMonitor(_ram, _bridge.SocketPath);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _monitor.Dispose();
        _thread.Join();
        _bridge.Dispose();
        _world.Dispose();
        _ram.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_forwarded_SMC_reaches_the_SCM_dispatcher_and_its_answer_comes_back()
    {
        var r = _monitor.Smc(El1, IsCallAvail, 1, IsCallAvail);
        Assert.Equal((0UL, 1UL), (r.X0, r.X1));
        Assert.Equal(1, _world.Dispatcher.CallCount);
    }

    [Fact]
    public void The_caller_EL_reaches_TrustZone_from_SPSR()
    {
        var seen = new List<int>();
        _world.Conduit.Traced += e => seen.Add(e.CallerEl);
        _monitor.Smc(El1, IsCallAvail, 1, IsCallAvail);
        _monitor.Smc(El2, IsCallAvail, 1, IsCallAvail);
        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public void An_interrupted_call_returns_its_session_in_x6_and_resumes_with_it()
    {
        _world.Dispatcher.Faults.Inject(ScmFault.Interrupted, 1, ScmCatalog.Mp);
        var enable = 0x4200_0C1CUL; // SHM_BRIDGE_ENABLE
        var first = _monitor.Smc(El1, enable, 0);
        Assert.Equal((ulong)ScmStatus.Interrupted, first.X0);
        Assert.NotEqual(0UL, first.X6);
        var resumed = _monitor.Smc(El1, (ulong)ScmStatus.ResumeFunctionId, 0, 0, 0, 0, 0, first.X6);
        Assert.Equal(0UL, resumed.X0);
    }

    [Fact]
    public void A_normal_answer_leaves_the_callers_x6_as_it_was()
    {
        var r = _monitor.Smc(El1, IsCallAvail, 1, IsCallAvail, 0, 0, 0, 0xABCD);
        Assert.Equal(0xABCDUL, r.X6);
    }

    [Fact]
    public void PSCI_like_unknown_owners_get_not_supported_and_the_ping_is_echoed()
    {
        Assert.Equal(ulong.MaxValue, _monitor.Smc(El1, 0x8400_0000).X0);
        var ping = _monitor.Smc(El1, SmcBridge.PingFunctionId, 77);
        Assert.Equal((0UL, 77UL), (ping.X0, ping.X1));
    }

    [Fact]
    public async Task Raising_an_interrupt_sets_IRQREQ_to_the_SPIs_INTID_and_waits_for_the_monitor()
    {
        _monitor.Smc(El1, SmcBridge.PingFunctionId); // the bridge has accepted the monitor's connection
        var raised = Task.Run(() => _bridge.Raise(100));
        _monitor.TakeInterrupt();
        Assert.True(await raised.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([132UL], _monitor.Injected);
    }

    [Fact]
    public void A_scheduled_event_fires_on_the_bridge_thread_in_wall_time()
    {
        var fired = new ManualResetEventSlim();
        Thread? on = null;
        _world.Clock.Schedule(TimeSpan.FromMilliseconds(30), () => { on = Thread.CurrentThread; fired.Set(); });
        Assert.True(fired.Wait(TimeSpan.FromSeconds(5)), "the event never fired: the bridge does not pump the clock");
        Assert.Same(_thread, on);
    }
}

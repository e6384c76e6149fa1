using Qtz.Kernel.Remoteproc;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Tests.Remoteproc;

public sealed class RecoveryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_crash_with_recovery_on_stops_dumps_reloads_and_runs_again_with_the_same_mappings(bool watchdog)
    {
        var bench = new RprocBench();
        bench.Rproc.Boot();
        var mappings = bench.Rproc.Mappings.ToArray();
        var dumps = 0;
        bench.Rproc.CoredumpHook = r =>
        {
            Assert.Equal(RprocState.Offline, r.State);
            dumps++;
        };

        if (watchdog) bench.Dsp.InjectWatchdog("wdog: test");
        else bench.Dsp.InjectFatal("err_fatal: test");
        bench.Clock.RunPending();

        Assert.Equal(RprocState.Running, bench.Rproc.State);
        Assert.Equal(1, bench.Rproc.CrashCount);
        Assert.Equal(watchdog ? RprocCrashType.Watchdog : RprocCrashType.FatalError, bench.Rproc.LastCrash!.Value.Type);
        Assert.EndsWith(watchdog ? "wdog: test" : "err_fatal: test", bench.Rproc.LastCrash.Value.Reason, StringComparison.Ordinal);
        Assert.Equal(1, dumps);
        Assert.Equal(2, bench.Dsp.BootCount);
        Assert.Equal(mappings, bench.Rproc.Mappings.ToArray());
        Assert.Equal(0, bench.Driver.Counters.MetadataBuffers);
    }

    [Fact]
    public void With_recovery_off_a_crashed_remoteproc_stays_crashed_until_recover()
    {
        var bench = new RprocBench(new BenchOptions { Recovery = false });
        bench.Rproc.Boot();

        bench.Dsp.InjectWatchdog();
        bench.Clock.RunPending();

        Assert.Equal(RprocState.Crashed, bench.Rproc.State);
        Assert.Equal("crashed", bench.Rproc.StateName);
        Assert.Equal(DspState.Crashed, bench.Dsp.State);
        Assert.Equal(Errno.EINVAL, bench.Rproc.Shutdown());

        Assert.Equal(Errno.None, bench.Rproc.Recover());
        Assert.Equal(RprocState.Running, bench.Rproc.State);
        Assert.Equal(Errno.None, bench.Rproc.Shutdown());
        Assert.True(bench.Driver.Counters.IsClean);
    }

    [Fact]
    public void Only_the_first_crash_is_handled_and_repeated_crashes_recover_each_time()
    {
        var bench = new RprocBench();
        bench.Rproc.Boot();

        for (var i = 0; i < 3; i++)
        {
            bench.Dsp.InjectFatal();
            bench.Rproc.ReportCrash(RprocCrashType.Watchdog, "a second report of the same crash");
            bench.Clock.RunPending();
            Assert.Equal(RprocState.Running, bench.Rproc.State);
        }

        Assert.Equal(3, bench.Rproc.CrashCount);
        Assert.Equal(6, bench.Rproc.Crashes.Count);
    }

    [Fact]
    public void A_watchdog_during_stop_completes_the_stop_instead_of_reporting_a_crash()
    {
        var bench = new RprocBench();
        bench.Rproc.Boot();
        bench.Dsp.StopAckLatency = TimeSpan.FromSeconds(10);
        bench.Clock.Schedule(TimeSpan.FromMilliseconds(100), () => bench.Signals.Watchdog.Raise());

        Assert.Equal(Errno.None, bench.Rproc.Shutdown());

        Assert.Empty(bench.Rproc.Crashes);
        Assert.True(bench.Clock.Now - default(VirtualTime) < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void An_mmu_fault_while_running_is_reported_as_mmufault_and_recovered()
    {
        var bench = new RprocBench();
        bench.Rproc.Boot();

        var port = bench.SocSmmu.Port(bench.Options.Sid, Vmid.AdspQ6);
        Span<byte> word = stackalloc byte[4];
        Assert.False(port.Read(new Iova(0x7000_0000), word, AccessKind.Read).IsOk);
        bench.Clock.RunPending();

        Assert.Equal(RprocCrashType.MmuFault, bench.Rproc.Crashes[0].Type);
        Assert.StartsWith("mmufault at iova 0x70000000", bench.Rproc.Crashes[0].Reason, StringComparison.Ordinal);
        Assert.Equal(RprocState.Running, bench.Rproc.State);
    }

    [Fact]
    public void Boot_takes_a_power_reference_and_only_the_last_shutdown_stops()
    {
        var bench = new RprocBench();
        Assert.Equal(Errno.None, bench.Rproc.Boot());
        Assert.Equal(Errno.None, bench.Rproc.Boot());
        Assert.Equal(2, bench.Rproc.PowerCount);

        bench.Rproc.Shutdown();
        Assert.Equal(RprocState.Running, bench.Rproc.State);
        bench.Rproc.Shutdown();
        Assert.Equal(RprocState.Offline, bench.Rproc.State);
    }

    [Fact]
    public void Auto_boot_follows_PasData_and_delete_shuts_down()
    {
        var bench = new RprocBench();
        Assert.True(bench.Rproc.Config.AutoBoot);
        bench.Rproc.Add();
        Assert.Equal(RprocState.Running, bench.Rproc.State);

        bench.Rproc.Delete();

        Assert.Equal(RprocState.Deleted, bench.Rproc.State);
        Assert.Equal(Errno.ENODEV, bench.Rproc.Boot());
        Assert.True(bench.Driver.Counters.IsClean);
    }
}

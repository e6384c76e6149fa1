using Qtz.Kernel.Remoteproc;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Bus;

namespace Qtz.Kernel.Tests.Remoteproc;

/// <summary>Recovery's coredump (debugfs "coredump") and its devcoredump life cycle.</summary>
public sealed class CoredumpTests
{
    private static RprocBench Crashed(RprocCoredumpMode mode, int crashes = 1)
    {
        var bench = new RprocBench();
        bench.Rproc.CoredumpMode = mode;
        bench.Rproc.Boot();
        for (var i = 0; i < crashes; i++)
        {
            bench.Clock.Advance(TimeSpan.FromSeconds(1));
            bench.Dsp.InjectFatal($"err_fatal: crash {i}");
            bench.Clock.RunPending();
            Assert.Equal(RprocState.Running, bench.Rproc.State);
        }

        return bench;
    }

    [Fact]
    public void By_default_recovery_takes_no_coredump_as_in_mainline()
    {
        var bench = Crashed(RprocCoredumpMode.Disabled);
        Assert.Equal(RprocCoredumpMode.Disabled, new RprocBench().Rproc.CoredumpMode);
        Assert.Null(bench.Rproc.PendingCoredump);
        Assert.Equal(0, bench.Rproc.CoredumpCount);
    }

    [Fact]
    public void An_enabled_coredump_copies_every_registered_segment_after_the_stop_and_before_the_reload()
    {
        var bench = Crashed(RprocCoredumpMode.Enabled);
        var dump = Assert.IsType<RprocCoredump>(bench.Rproc.PendingCoredump);
        Assert.Equal(bench.Rproc.DumpSegments.Select(s => (s.DeviceAddress, (int)s.Length)), dump.Segments.Select(s => (s.DeviceAddress, s.Bytes.Length)));
        Assert.Equal(RprocCrashType.FatalError, dump.Crash!.Value.Type);
        Assert.EndsWith("crash 0", dump.Crash.Value.Reason, StringComparison.Ordinal);
        var relocation = dump.Segments.Min(s => s.DeviceAddress); // a relocatable image: the lowest p_paddr sits at the carveout's base
        foreach (var s in dump.Segments)
        {
            // The same image was reloaded, so its loaded bytes are what the dump must hold.
            var loaded = new byte[s.Bytes.Length];
            Assert.Equal(BusStatus.Ok, bench.Bus.Read(BusMaster.SecureWorld, RprocBench.Carveout.Base + (s.DeviceAddress - relocation), loaded));
            Assert.Equal(loaded, s.Bytes.ToArray());
        }

        Assert.Contains(dump.Segments, s => s.Bytes.Span.IndexOfAnyExcept((byte)0, (byte)0xFF) >= 0);
        Assert.Equal(1, bench.Rproc.CoredumpCount);
    }

    [Fact]
    public void A_segment_the_driver_cannot_read_is_dumped_as_0xFF()
    {
        var bench = new RprocBench();
        bench.Rproc.CoredumpMode = RprocCoredumpMode.Enabled;
        bench.Rproc.Boot();
        bench.Rproc.DumpSegments.Add(new RprocDumpSegment(0x1000, 0x40)); // far outside the carveout: da_to_va fails
        bench.Dsp.InjectWatchdog();
        bench.Clock.RunPending();
        var outside = bench.Rproc.PendingCoredump!.Segments.Single(s => s.DeviceAddress == 0x1000);
        Assert.All(outside.Bytes.ToArray(), b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void An_unread_dump_blocks_newer_ones_until_it_is_read_then_the_next_crash_is_kept()
    {
        var bench = Crashed(RprocCoredumpMode.Enabled, crashes: 3);
        Assert.Equal(3, bench.Rproc.CoredumpCount);
        Assert.Equal(2, bench.Rproc.CoredumpsDiscarded);
        var first = bench.Rproc.TakeCoredump()!;
        Assert.EndsWith("crash 0", first.Crash!.Value.Reason, StringComparison.Ordinal);
        Assert.Null(bench.Rproc.PendingCoredump);
        Assert.Null(bench.Rproc.TakeCoredump());

        bench.Dsp.InjectFatal("err_fatal: crash 3");
        bench.Clock.RunPending();
        Assert.EndsWith("crash 3", bench.Rproc.PendingCoredump!.Crash!.Value.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unread_dump_expires_after_five_minutes_of_virtual_time()
    {
        var bench = Crashed(RprocCoredumpMode.Enabled);
        bench.Clock.Advance(Rproc.DevcoredumpTimeout - TimeSpan.FromSeconds(1));
        Assert.NotNull(bench.Rproc.PendingCoredump);
        bench.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(bench.Rproc.PendingCoredump);
        Assert.Equal(RprocState.Running, bench.Rproc.State);
    }
}

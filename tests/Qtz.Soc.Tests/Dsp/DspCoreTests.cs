using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Dsp;

public sealed class DspCoreTests
{
    private sealed class FakePort : IDspMemoryPort
    {
        public Func<Iova, AccessKind, SmmuStatus> Decide { get; set; } = (_, _) => SmmuStatus.Ok;

        public List<(Iova At, AccessKind Kind)> Accesses { get; } = [];

        public SmmuAccessResult Read(Iova iova, Span<byte> destination, AccessKind kind)
        {
            Accesses.Add((iova, kind));
            return new SmmuAccessResult(Decide(iova, kind), iova, new PhysAddr(iova.Value), BusStatus.Ok);
        }

        public SmmuAccessResult Write(Iova iova, ReadOnlySpan<byte> source)
        {
            Accesses.Add((iova, AccessKind.Write));
            return new SmmuAccessResult(Decide(iova, AccessKind.Write), iova, new PhysAddr(iova.Value), BusStatus.Ok);
        }
    }

    private readonly VirtualClock _clock = new(seed: 1);
    private readonly InterruptController _irqs = new();
    private readonly SharedMemory _smem = new();
    private readonly FakePort _port = new();
    private readonly DspCore _core;

    public DspCoreTests()
    {
        _core = new DspCore("adsp", 0x3000, _clock, new DspSignals("adsp", _irqs), _smem, 423, _port);
    }

    private static DspBootImage Image() => new(
        new Iova(0x95900000),
        [new DspSegment(new Iova(0x95900000), 0x3000, AccessPermissions.ReadExecute), new DspSegment(new Iova(0x95a00000), 0x1000, AccessPermissions.ReadWrite)],
        [new DspDeviceRange(new Iova(0x110000), 0x4000, AccessPermissions.Read, "lpass")]);

    [Fact]
    public void Reset_release_probes_entry_segment_ends_and_device_memory_then_raises_ready_and_handover()
    {
        _core.ReleaseReset(Image());

        Assert.Contains((new Iova(0x95900000), AccessKind.Execute), _port.Accesses);
        Assert.Contains((new Iova(0x95902000), AccessKind.Read), _port.Accesses); // last page of the first segment
        Assert.Contains((new Iova(0x95a00000), AccessKind.Write), _port.Accesses);
        Assert.Contains((new Iova(0x113000), AccessKind.Read), _port.Accesses);
        Assert.Equal(DspState.Booting, _core.State);

        Assert.True(_clock.RunUntil(() => _core.Signals.FromDsp.Get(DspSignals.HandoverBit), TimeSpan.FromSeconds(5)));
        Assert.Equal(DspState.Running, _core.State);
        Assert.True(_core.Signals.FromDsp.Get(DspSignals.ReadyBit));
        Assert.Equal(_core.BootLatency + _core.HandoverDelay, _clock.Now.SinceBoot);
    }

    [Fact]
    public void A_fault_during_the_probe_writes_a_crash_reason_and_raises_fatal_instead_of_ready()
    {
        _port.Decide = (at, _) => at.Value >= 0x110000 && at.Value < 0x120000
            ? SmmuStatus.TranslationFault
            : SmmuStatus.Ok;

        _core.ReleaseReset(Image());

        Assert.Equal(DspState.Crashed, _core.State);
        Assert.True(_core.Signals.FromDsp.Get(DspSignals.FatalBit));
        Assert.False(_core.Signals.FromDsp.Get(DspSignals.ReadyBit));
        var reason = _smem.ReadString(2, 423);
        Assert.NotNull(reason);
        Assert.Contains("TranslationFault", reason);
        Assert.Contains("0x110000", reason);
    }

    [Fact]
    public void Stop_bit_is_answered_with_stop_ack()
    {
        _core.ReleaseReset(Image());
        _clock.RunUntil(() => _core.State == DspState.Running, TimeSpan.FromSeconds(1));

        _core.Signals.ToDsp.Set(DspSignals.StopBit, true);

        Assert.True(_clock.RunUntil(() => _core.Signals.FromDsp.Get(DspSignals.StopAckBit), TimeSpan.FromSeconds(5)));
        Assert.Equal(DspState.Stopped, _core.State);
    }

    [Fact]
    public void A_hung_core_never_acknowledges_stop()
    {
        _core.ReleaseReset(Image());
        _clock.RunUntil(() => _core.State == DspState.Running, TimeSpan.FromSeconds(1));
        _core.InjectHang();

        _core.Signals.ToDsp.Set(DspSignals.StopBit, true);

        Assert.False(_clock.RunUntil(() => _core.Signals.FromDsp.Get(DspSignals.StopAckBit), TimeSpan.FromSeconds(5)));
        Assert.Equal(DspState.Hung, _core.State);
    }

    [Fact]
    public void Watchdog_bite_raises_the_wdog_line_with_a_reason()
    {
        _core.ReleaseReset(Image());
        _clock.RunUntil(() => _core.State == DspState.Running, TimeSpan.FromSeconds(1));

        _core.InjectWatchdog();

        Assert.True(_core.Signals.Watchdog.IsAsserted);
        Assert.Equal(DspState.Crashed, _core.State);
        Assert.StartsWith("watchdog", _smem.ReadString(SharedMemory.HostAny, 423));
    }

    [Fact]
    public void Asserting_reset_cancels_a_pending_ready_and_clears_the_outbound_bits()
    {
        _core.ReleaseReset(Image());
        _core.AssertReset();

        Assert.False(_clock.RunUntil(() => _core.Signals.FromDsp.Bits != 0, TimeSpan.FromSeconds(1)));
        Assert.Equal(DspState.Reset, _core.State);
    }

    [Fact]
    public void Releasing_reset_twice_without_a_reset_in_between_is_refused()
    {
        _core.ReleaseReset(Image());
        Assert.Throws<InvalidOperationException>(() => _core.ReleaseReset(Image()));
    }

    [Fact]
    public void The_core_boots_again_after_a_crash_and_reset()
    {
        _core.ReleaseReset(Image());
        _core.InjectFatal();
        _core.AssertReset();
        _core.ReleaseReset(Image());

        Assert.True(_clock.RunUntil(() => _core.State == DspState.Running, TimeSpan.FromSeconds(1)));
        Assert.Equal(2, _core.BootCount);
        Assert.Null(_smem.ReadString(SharedMemory.HostAny, 423));
    }
}

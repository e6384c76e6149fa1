using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Soc.Dsp;

/// <summary>Where a DSP core is in its life, as the hardware (not Linux) sees it.</summary>
public enum DspState : byte
{
    /// <summary>Held in reset: nothing runs, no bus traffic.</summary>
    Reset,

    /// <summary>Reset released; the boot probe passed and the firmware is initialising.</summary>
    Booting,

    Running,

    /// <summary>The firmware took a fatal error or was bitten by its watchdog.</summary>
    Crashed,

    /// <summary>The firmware stopped answering (no stop-ack, no watchdog: only Linux's timeouts notice).</summary>
    Hung,

    /// <summary>Answered "stop" with stop-ack and parked itself, waiting for reset.</summary>
    Stopped,
}

/// <summary>A state change or notable event of a DSP core, for traces.</summary>
public readonly record struct DspEvent(VirtualTime Time, string Core, DspState State, string What);

/// <summary>
/// A Hexagon-class DSP, behavioural: code never runs. On reset release it probes its memory through
/// its SMMU stream the way early firmware does — fetch at the entry point, touch the first and last
/// page of every loaded segment with that segment's permissions, touch every promised device range —
/// then raises ready and handover after <see cref="BootLatency"/>. Any fault makes it write a crash
/// reason to SMEM and raise fatal instead. It answers "stop" with stop-ack, and faults can be injected.
/// </summary>
public sealed class DspCore
{
    private const ulong PageSize = 4096;
    private readonly VirtualClock _clock;
    private readonly SharedMemory _smem;
    private readonly IDspMemoryPort _port;
    private readonly List<ScheduledEvent> _pending = [];
    private DspBootImage? _image;

    public DspCore(string name, ushort streamId, VirtualClock clock, DspSignals signals, SharedMemory smem, uint crashReasonItem, IDspMemoryPort port)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(smem);
        ArgumentNullException.ThrowIfNull(port);
        Name = name;
        StreamId = streamId;
        _clock = clock;
        Signals = signals;
        _smem = smem;
        CrashReasonItem = crashReasonItem;
        _port = port;
        signals.ToDsp.BitChanged += OnInboundBit;
    }

    public string Name { get; }

    public ushort StreamId { get; }

    public DspSignals Signals { get; }

    public uint CrashReasonItem { get; }

    public DspState State { get; private set; } = DspState.Reset;

    /// <summary>Time from reset release to "ready" (firmware initialisation), in virtual time.</summary>
    public TimeSpan BootLatency { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Time from "ready" to "handover" (proxy votes no longer needed).</summary>
    public TimeSpan HandoverDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Time the firmware takes to acknowledge "stop".</summary>
    public TimeSpan StopAckLatency { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How many times reset has been released since power-on.</summary>
    public int BootCount { get; private set; }

    public string? LastCrashReason { get; private set; }

    public event Action<DspEvent>? Changed;

    /// <summary>TrustZone releases the core from reset with the image it authenticated.</summary>
    public void ReleaseReset(DspBootImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (State != DspState.Reset)
            throw new InvalidOperationException($"{Name}: reset released while {State}; assert reset first");
        _image = image;
        BootCount++;
        Signals.FromDsp.Reset();
        _smem.Clear(SharedMemory.HostAny, CrashReasonItem);
        LastCrashReason = null;
        Enter(DspState.Booting, "reset released");

        var fault = Probe(image);
        if (fault is not null)
        {
            Crash(fault, fatal: true);
            return;
        }

        Later(BootLatency, () =>
        {
            if (State != DspState.Booting) return;
            Enter(DspState.Running, "ready");
            Signals.FromDsp.Set(DspSignals.ReadyBit, true);
            Later(HandoverDelay, () =>
            {
                if (State == DspState.Running) Signals.FromDsp.Set(DspSignals.HandoverBit, true);
            });
        });
    }

    /// <summary>TrustZone puts the core back in reset (PAS SHUTDOWN): everything pending is dropped.</summary>
    public void AssertReset()
    {
        foreach (var ev in _pending) ev.Cancel();
        _pending.Clear();
        Signals.Watchdog.Lower();
        Signals.FromDsp.Reset();
        _image = null;
        if (State != DspState.Reset) Enter(DspState.Reset, "reset asserted");
    }

    /// <summary>Injects a watchdog bite: the wdog interrupt fires with a crash reason in SMEM.</summary>
    public void InjectWatchdog(string reason = "watchdog bite: firmware stopped kicking the dog") =>
        Crash(reason, fatal: false);

    /// <summary>Injects a fatal error: crash reason in SMEM, then the fatal SMP2P bit.</summary>
    public void InjectFatal(string reason = "err_fatal: injected by qtz") => Crash(reason, fatal: true);

    /// <summary>The firmware stops responding: no stop-ack, no ready, nothing.</summary>
    public void InjectHang()
    {
        if (State == DspState.Reset) return;
        foreach (var ev in _pending) ev.Cancel();
        _pending.Clear();
        Enter(DspState.Hung, "hang injected");
    }

    /// <summary>
    /// The firmware touches <paramref name="at"/>, an address it was never given: the access goes through
    /// its SMMU stream like any other and faults there (whoever owns the context bank hears of it). The
    /// core itself carries on. Returns what the stream answered.
    /// </summary>
    public SmmuAccessResult InjectStrayAccess(Iova at)
    {
        Span<byte> word = stackalloc byte[4];
        return _port.Read(at, word, AccessKind.Read);
    }

    /// <summary>The boot image the core is running, if any.</summary>
    public DspBootImage? Image => _image;

    private string? Probe(DspBootImage image)
    {
        Span<byte> word = stackalloc byte[4];
        var r = _port.Read(image.Entry, word, AccessKind.Execute);
        if (!r.IsOk) return Describe("fetch at entry", image.Entry, r);
        foreach (var segment in image.Segments)
        {
            var fault = TouchEnds(segment.Start, segment.Length, segment.Permissions, "segment", word);
            if (fault is not null) return fault;
        }

        foreach (var range in image.DeviceMemory)
        {
            var fault = TouchEnds(range.Start, range.Length, range.Permissions, "devmem " + range.Name, word);
            if (fault is not null) return fault;
        }

        return null;
    }

    private string? TouchEnds(Iova start, ulong length, AccessPermissions permissions, string what, Span<byte> word)
    {
        if (length == 0) return null;
        var lastPage = new Iova(start.Value + ((length - 1) & ~(PageSize - 1)));
        foreach (var at in start == lastPage ? [start] : new[] { start, lastPage })
        {
            if ((permissions & AccessPermissions.Read) != 0 || permissions == AccessPermissions.None)
            {
                var r = _port.Read(at, word, AccessKind.Read);
                if (!r.IsOk) return Describe(what + " read", at, r);
                // Writing back what was read touches the page without changing the loaded image.
                if ((permissions & AccessPermissions.Write) != 0)
                {
                    r = _port.Write(at, word);
                    if (!r.IsOk) return Describe(what + " write", at, r);
                }
            }

            if ((permissions & AccessPermissions.Execute) != 0)
            {
                var r = _port.Read(at, word, AccessKind.Execute);
                if (!r.IsOk) return Describe(what + " fetch", at, r);
            }
        }

        return null;
    }

    private string Describe(string what, Iova at, SmmuAccessResult r) =>
        $"{Name}: {what} at iova {at} (sid 0x{StreamId:x}) failed: {r}";

    private void Crash(string reason, bool fatal)
    {
        if (State is DspState.Reset or DspState.Crashed) return;
        foreach (var ev in _pending) ev.Cancel();
        _pending.Clear();
        LastCrashReason = reason;
        _smem.WriteString(SharedMemory.HostAny, CrashReasonItem, reason);
        Enter(DspState.Crashed, reason);
        if (fatal) Signals.FromDsp.Set(DspSignals.FatalBit, true);
        else Signals.Watchdog.Raise();
    }

    private void OnInboundBit(int bit, bool value)
    {
        if (bit != DspSignals.StopBit || !value) return;
        if (State is DspState.Running or DspState.Booting)
        {
            Later(StopAckLatency, () =>
            {
                if (State is not (DspState.Running or DspState.Booting)) return;
                Enter(DspState.Stopped, "stop acknowledged");
                Signals.FromDsp.Set(DspSignals.StopAckBit, true);
            });
        }
    }

    private void Later(TimeSpan delay, Action action)
    {
        _pending.RemoveAll(e => e.HasFired || e.IsCancelled);
        _pending.Add(_clock.Schedule(delay, action, Name));
    }

    private void Enter(DspState state, string what)
    {
        State = state;
        Changed?.Invoke(new DspEvent(_clock.Now, Name, state, what));
    }
}

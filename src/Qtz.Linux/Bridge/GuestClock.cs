using System.Diagnostics;
using Qtz.Soc;
using Qtz.Soc.Time;

namespace Qtz.Linux.Bridge;

/// <summary>
/// How qtz's <see cref="VirtualClock"/> relates to a real guest's time: every pump advances virtual
/// time by the wall time that passed since the previous pump, firing the events due on the way. The
/// bridge thread pumps before every SMC and whenever it waits (at least every <see cref="IdlePoll"/>,
/// every millisecond while events are pending), so an event scheduled "50 ms from now" — a DSP's
/// ready interrupt — fires about 50 ms of the guest's wall time later, on the bridge thread, never
/// inside an SCM call. Inside a call TrustZone's models may also move virtual time (a flash erase
/// waits out the chip's erase time on the virtual clock, in no real time), so virtual time is the wall
/// time since attach plus the modelled busy time: it never lags the guest, and a delay scheduled
/// from any instant takes that much wall time. Guest time (CNTVCT under TCG) follows the host's wall
/// clock, so both sides agree on durations to within a pump period plus the guest's scheduling delay.
/// </summary>
public sealed class GuestClock
{
    /// <summary>Longest wait between two pumps when nothing is due.</summary>
    public static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(20);

    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private TimeSpan _pumped;

    public GuestClock(VirtualClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
    }

    public VirtualClock Clock { get; }

    /// <summary>Wall time since the bridge attached.</summary>
    public TimeSpan WallElapsed => _wall.Elapsed;

    /// <summary>Advances virtual time by the wall time since the last pump, firing every event due on the way (on this thread).</summary>
    public void Pump()
    {
        var now = _wall.Elapsed;
        var delta = now - _pumped;
        _pumped = now;
        if (delta > TimeSpan.Zero) Clock.Advance(delta);
        else Clock.RunPending();
    }

    /// <summary>How long the bridge may wait for the guest before it must pump again.</summary>
    public TimeSpan NextWait => Clock.PendingEvents > 0 ? TimeSpan.FromMilliseconds(1) : IdlePoll;
}

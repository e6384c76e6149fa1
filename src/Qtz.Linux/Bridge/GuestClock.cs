using System.Diagnostics;
using Qtz.Soc;

namespace Qtz.Linux.Bridge;

/// <summary>
/// How qtz's <see cref="VirtualClock"/> relates to a real guest's time: virtual time follows the wall
/// time elapsed since the bridge attached. The bridge thread pumps it before every SMC and whenever it
/// waits (at least every <see cref="IdlePoll"/>, every millisecond while events are due soon), so an
/// event scheduled "50 ms after reset" — a DSP's ready interrupt — fires about 50 ms of the guest's
/// wall time later, on the bridge thread, never inside an SCM call. Virtual time may run ahead of the
/// wall clock when TrustZone models a busy wait that cost no real time (a flash erase polls the chip's
/// status on the virtual clock); the pump then leaves it alone until the wall clock catches up.
/// Guest time (CNTVCT under TCG) also follows the host's wall clock, so both sides agree to within a
/// pump period plus the guest's own scheduling delay.
/// </summary>
public sealed class GuestClock
{
    /// <summary>Longest wait between two pumps when nothing is due.</summary>
    public static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(20);

    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _origin;

    public GuestClock(VirtualClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        _origin = clock.Now.SinceBoot;
    }

    public VirtualClock Clock { get; }

    /// <summary>Wall time since the bridge attached.</summary>
    public TimeSpan WallElapsed => _wall.Elapsed;

    /// <summary>Moves virtual time up to the wall clock, firing every event due on the way (on this thread).</summary>
    public void Pump()
    {
        var lag = _origin + _wall.Elapsed - Clock.Now.SinceBoot;
        if (lag > TimeSpan.Zero) Clock.Advance(lag);
        else Clock.RunPending();
    }

    /// <summary>How long the bridge may wait for the guest before it must pump again.</summary>
    public TimeSpan NextWait => Clock.PendingEvents > 0 ? TimeSpan.FromMilliseconds(1) : IdlePoll;
}

using System.Globalization;

namespace Qtz.Soc.Time;

/// <summary>
/// An instant on the simulation clock, in nanoseconds since the board was powered on. Waits advance it;
/// wall time never does. Durations are <see cref="TimeSpan"/>s (100 ns resolution is finer than any
/// datasheet figure we model).
/// </summary>
public readonly record struct VirtualTime(long Nanoseconds) : IComparable<VirtualTime>
{
    public static VirtualTime Zero => default;

    public TimeSpan SinceBoot => TimeSpan.FromTicks(Nanoseconds / 100);

    public double Milliseconds => Nanoseconds / 1e6;

    public int CompareTo(VirtualTime other) => Nanoseconds.CompareTo(other.Nanoseconds);

    public static VirtualTime operator +(VirtualTime t, TimeSpan d) => new(checked(t.Nanoseconds + d.Ticks * 100));

    public static TimeSpan operator -(VirtualTime a, VirtualTime b) => TimeSpan.FromTicks((a.Nanoseconds - b.Nanoseconds) / 100);

    public static bool operator <(VirtualTime a, VirtualTime b) => a.Nanoseconds < b.Nanoseconds;

    public static bool operator >(VirtualTime a, VirtualTime b) => a.Nanoseconds > b.Nanoseconds;

    public static bool operator <=(VirtualTime a, VirtualTime b) => a.Nanoseconds <= b.Nanoseconds;

    public static bool operator >=(VirtualTime a, VirtualTime b) => a.Nanoseconds >= b.Nanoseconds;

    /// <summary>Seconds with microsecond precision, like ftrace's timestamp column.</summary>
    public override string ToString() =>
        (Nanoseconds / 1_000_000_000).ToString(CultureInfo.InvariantCulture) + "."
        + (Nanoseconds % 1_000_000_000 / 1000).ToString("D6", CultureInfo.InvariantCulture);
}

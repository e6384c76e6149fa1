using Qtz.Soc;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Bus;

public class VirtualClockTests
{
    [Fact]
    public void Events_fire_in_time_order_and_same_instant_events_in_scheduling_order()
    {
        var clock = new VirtualClock();
        var order = new List<string>();
        clock.Schedule(TimeSpan.FromMilliseconds(20), () => order.Add("b"));
        clock.Schedule(TimeSpan.FromMilliseconds(10), () => order.Add("a"));
        clock.Schedule(TimeSpan.FromMilliseconds(20), () => order.Add("c"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["a", "b", "c"], order);
        Assert.Equal(1_000_000_000L, clock.Now.Nanoseconds);
    }

    [Fact]
    public void RunUntil_stops_at_the_instant_the_condition_becomes_true()
    {
        var clock = new VirtualClock();
        var ready = false;
        clock.Schedule(TimeSpan.FromMilliseconds(50), () => ready = true);
        clock.Schedule(TimeSpan.FromMilliseconds(80), () => { });
        Assert.True(clock.RunUntil(() => ready, TimeSpan.FromSeconds(5)));
        Assert.Equal(50_000_000L, clock.Now.Nanoseconds);
        Assert.Equal(1, clock.PendingEvents);
    }

    [Fact]
    public void RunUntil_times_out_at_the_deadline_without_sleeping()
    {
        var clock = new VirtualClock();
        var started = DateTime.UtcNow;
        Assert.False(clock.RunUntil(() => false, TimeSpan.FromSeconds(5)));
        Assert.Equal(5_000_000_000L, clock.Now.Nanoseconds);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void RunUntil_checks_the_condition_before_any_event()
    {
        var clock = new VirtualClock();
        var fired = false;
        clock.Schedule(TimeSpan.Zero, () => fired = true);
        Assert.True(clock.RunUntil(() => true, TimeSpan.FromSeconds(1)));
        Assert.False(fired);
        Assert.Equal(0L, clock.Now.Nanoseconds);
    }

    [Fact]
    public void A_cancelled_event_never_fires()
    {
        var clock = new VirtualClock();
        var fired = false;
        clock.Schedule(TimeSpan.FromMilliseconds(1), () => fired = true).Cancel();
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(fired);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        Assert.Equal(Trace(seed: 42), Trace(seed: 42));
        Assert.NotEqual(Trace(seed: 42), Trace(seed: 43));
    }

    [Fact]
    public void Time_never_goes_backwards()
    {
        var clock = new VirtualClock();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Schedule(TimeSpan.FromTicks(-1), () => { }));
    }

    /// <summary>A little simulation whose event times come from the clock's random source.</summary>
    private static string Trace(int seed)
    {
        var clock = new VirtualClock(seed);
        var log = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var n = i;
            clock.Schedule(TimeSpan.FromMicroseconds(clock.Random.Next(1, 1000)), () => log.Add($"{n}@{clock.Now.Nanoseconds}"));
        }

        clock.Advance(TimeSpan.FromMilliseconds(2));
        return string.Join(" ", log);
    }
}

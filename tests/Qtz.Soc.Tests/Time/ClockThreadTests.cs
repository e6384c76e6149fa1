using Qtz.Soc;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Time;

/// <summary>
/// A clock shared by several threads (issue 9's concurrency run): once one thread owns event firing,
/// the others only move time. Regression for the deadlock the concurrent soak hit first: the churn
/// thread, inside a crash-work event, waited for the SCM lock an MTD thread held, while that thread,
/// busy-waiting on the flash inside TrustZone, waited for the clock to run events.
/// </summary>
public sealed class ClockThreadTests
{
    [Fact]
    public void Only_the_owning_thread_fires_events_other_threads_only_move_time()
    {
        var clock = new VirtualClock();
        var firedOn = new List<int>();
        clock.Schedule(TimeSpan.FromMilliseconds(10), () => firedOn.Add(Environment.CurrentManagedThreadId));
        using (clock.FireEventsOnCurrentThread())
        {
            var other = new Thread(() => clock.Advance(TimeSpan.FromSeconds(1)));
            other.Start();
            other.Join();
            Assert.Empty(firedOn);
            Assert.Equal(1_000_000_000L, clock.Now.Nanoseconds);
            clock.RunPending();
        }

        Assert.Equal([Environment.CurrentManagedThreadId], firedOn);
    }

    [Fact]
    public void A_thread_that_may_not_fire_events_never_waits_for_the_one_that_does()
    {
        var clock = new VirtualClock();
        var scmLock = new Lock();
        var mtdHoldsLock = new ManualResetEventSlim();
        var mtdDone = new ManualResetEventSlim();
        clock.Schedule(TimeSpan.FromMilliseconds(1), () =>
        {
            mtdHoldsLock.Wait();
            lock (scmLock) { }
        });
        using var owner = clock.FireEventsOnCurrentThread();
        var mtd = new Thread(() =>
        {
            lock (scmLock)
            {
                mtdHoldsLock.Set();
                clock.Advance(TimeSpan.FromMilliseconds(5));
            }

            mtdDone.Set();
        });
        mtd.Start();
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True(mtdDone.Wait(TimeSpan.FromSeconds(10)), "deadlock: the MTD thread waited for the event-firing thread");
        mtd.Join();
    }

    [Fact]
    public void Events_due_inside_a_deferral_scope_fire_after_it_in_time_order()
    {
        var clock = new VirtualClock();
        var order = new List<string>();
        clock.Schedule(TimeSpan.FromMilliseconds(20), () => order.Add("b"));
        clock.Schedule(TimeSpan.FromMilliseconds(10), () => order.Add("a"));
        using (clock.DeferEventsOnCurrentThread())
        {
            using (clock.DeferEventsOnCurrentThread()) clock.Advance(TimeSpan.FromMilliseconds(50));
            clock.RunPending();
            Assert.Empty(order);
            Assert.Equal(50_000_000L, clock.Now.Nanoseconds);
        }

        clock.RunPending();
        Assert.Equal(["a", "b"], order);
    }

    [Fact]
    public void A_second_thread_cannot_take_over_event_firing_while_the_first_owns_it()
    {
        var clock = new VirtualClock();
        using var owner = clock.FireEventsOnCurrentThread();
        Exception? refused = null;
        var other = new Thread(() => refused = Record.Exception(() => clock.FireEventsOnCurrentThread()));
        other.Start();
        other.Join();
        Assert.IsType<InvalidOperationException>(refused);
    }
}

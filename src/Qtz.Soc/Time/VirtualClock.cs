namespace Qtz.Soc.Time;

/// <summary>
/// The board's discrete-event scheduler. Hardware models schedule callbacks ("raise ready 50 ms after
/// reset release"); software waits with <see cref="RunUntil"/>, which fires events in time order and
/// moves time forward instead of sleeping. Events due at the same instant fire in the order they were
/// scheduled, and the only randomness is <see cref="Random"/> from the seed, so a run is a pure
/// function of its inputs and seed. Several threads may share one clock; see
/// <see cref="FireEventsOnCurrentThread"/> for who then runs the events.
/// </summary>
public sealed class VirtualClock
{
    // Per thread: the clocks whose events it defers, and how deep (DeferEventsOnCurrentThread nests).
    [ThreadStatic]
    private static Dictionary<VirtualClock, int>? t_deferred;

    private readonly PriorityQueue<ScheduledEvent, (long Due, long Sequence)> _queue = new();
    private readonly Lock _queueLock = new();
    private readonly Lock _runLock = new();
    private long _now;
    private long _sequence;
    private Thread? _eventThread;

    public VirtualClock(int seed = 0)
    {
        Seed = seed;
        Random = new Random(seed);
    }

    public int Seed { get; }

    /// <summary>The run's only source of randomness (fault injection, fuzzing, jitter).</summary>
    public Random Random { get; }

    public VirtualTime Now => new(Interlocked.Read(ref _now));

    public int PendingEvents
    {
        get { lock (_queueLock) return _queue.Count; }
    }

    /// <summary>
    /// Until the returned scope is disposed, only the calling thread fires events; on every other thread
    /// <see cref="Advance"/>, <see cref="RunUntil"/> and <see cref="RunPending"/> only move time forward
    /// (RunUntil then checks its condition once, at the deadline). Events still fire in time order, when
    /// this thread next runs the clock. This is how a board shared by several threads stays faithful: a
    /// CPU busy-waiting on the flash inside TrustZone must not run another CPU's timers or kernel work
    /// (crash handling would re-enter TrustZone from inside a call), and the thread that owns the
    /// remote processors stays the only one that touches them.
    /// </summary>
    public IDisposable FireEventsOnCurrentThread()
    {
        var current = Thread.CurrentThread;
        if (Interlocked.CompareExchange(ref _eventThread, current, null) is { } owner && owner != current)
            throw new InvalidOperationException($"events of this clock already fire only on thread '{owner.Name ?? owner.ManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture)}'");
        return new EventThreadScope(this, current);
    }

    /// <summary>
    /// Until the returned scope is disposed, <see cref="Advance"/>, <see cref="RunUntil"/> and
    /// <see cref="RunPending"/> on the calling thread only move time forward; events due meanwhile fire,
    /// in time order, the next time the clock runs outside such a scope. TrustZone wraps every SCM call
    /// in one: a CPU in the secure world (busy-waiting on the flash, say) does not run the normal world's
    /// timers and kernel work, which would otherwise re-enter TrustZone from inside the call. Nests.
    /// </summary>
    public IDisposable DeferEventsOnCurrentThread()
    {
        t_deferred ??= [];
        t_deferred[this] = t_deferred.GetValueOrDefault(this) + 1;
        return new DeferScope(this);
    }

    /// <summary>Schedules <paramref name="action"/> to run <paramref name="delay"/> from now.</summary>
    public ScheduledEvent Schedule(TimeSpan delay, Action action, string name = "")
    {
        ArgumentNullException.ThrowIfNull(action);
        if (delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), "events cannot be scheduled in the past");
        lock (_queueLock)
        {
            var due = checked(_now + delay.Ticks * 100);
            var ev = new ScheduledEvent(new VirtualTime(due), name, action);
            _queue.Enqueue(ev, (due, _sequence++));
            return ev;
        }
    }

    /// <summary>Moves time forward by <paramref name="duration"/>, firing every event due on the way.</summary>
    public void Advance(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), "time only moves forward");
        RunTo(Now + duration, static () => false);
    }

    /// <summary>
    /// Fires events in order until <paramref name="condition"/> holds (checked before the first event
    /// and after each) or <paramref name="timeout"/> of virtual time has passed. On success time stops
    /// at the instant the condition became true; on timeout it stands at the deadline.
    /// </summary>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (timeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), "a timeout cannot be negative");
        return RunTo(Now + timeout, condition);
    }

    /// <summary>Fires every event already due at the current instant (zero-delay callbacks).</summary>
    public void RunPending() => RunTo(Now, static () => false);

    private bool RunTo(VirtualTime deadline, Func<bool> condition)
    {
        // Checked before _runLock: a thread that may not fire events must never wait for the one that does
        // (that one may be waiting, inside an event, for a lock this thread holds, e.g. the SCM lock).
        if (t_deferred?.ContainsKey(this) == true || (Volatile.Read(ref _eventThread) is { } owner && owner != Thread.CurrentThread))
        {
            lock (_queueLock)
            {
                if (deadline.Nanoseconds > _now) Interlocked.Exchange(ref _now, deadline.Nanoseconds);
            }

            return condition();
        }

        lock (_runLock)
        {
            while (true)
            {
                if (condition()) return true;
                ScheduledEvent? next;
                lock (_queueLock)
                {
                    while (_queue.TryPeek(out next, out _) && next.IsCancelled)
                        _queue.Dequeue();
                    if (next is null || next.Due > deadline)
                    {
                        if (deadline.Nanoseconds > _now) Interlocked.Exchange(ref _now, deadline.Nanoseconds);
                        return condition();
                    }

                    _queue.Dequeue();
                    if (next.Due.Nanoseconds > _now) Interlocked.Exchange(ref _now, next.Due.Nanoseconds);
                }

                next.Fire();
            }
        }
    }

    private sealed class DeferScope(VirtualClock clock) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (t_deferred is not { } deferred || !deferred.TryGetValue(clock, out var depth)) return;
            if (depth > 1) deferred[clock] = depth - 1;
            else deferred.Remove(clock);
        }
    }

    private sealed class EventThreadScope(VirtualClock clock, Thread thread) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref clock._eventThread, null, thread);
    }
}

/// <summary>A callback on the virtual clock; cancel it to stop it firing.</summary>
public sealed class ScheduledEvent
{
    private readonly Action _action;
    private volatile bool _cancelled;

    internal ScheduledEvent(VirtualTime due, string name, Action action)
    {
        Due = due;
        Name = name;
        _action = action;
    }

    public VirtualTime Due { get; }

    public string Name { get; }

    public bool IsCancelled => _cancelled;

    public bool HasFired { get; private set; }

    public void Cancel() => _cancelled = true;

    internal void Fire()
    {
        if (_cancelled) return;
        HasFired = true;
        _action();
    }
}

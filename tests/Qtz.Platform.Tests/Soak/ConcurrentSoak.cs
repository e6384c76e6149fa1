using System.Diagnostics;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Boards;
using Qtz.Soc.Time;

namespace Qtz.Platform.Tests.Soak;

/// <summary>How long a <see cref="ConcurrentSoak"/> runs: whichever limit comes first.</summary>
public sealed record ConcurrentSoakOptions
{
    public int MtdThreads { get; init; } = 4;

    public int RequestsPerThread { get; init; } = 200;

    public TimeSpan WallLimit { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan VirtualLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Workload k uses seed <c>Seed + k</c>.</summary>
    public int Seed { get; init; } = 9;

    /// <summary>Largest read or write; erases take up to this many bytes' worth of whole blocks.</summary>
    public int MaxBytes { get; init; } = 16 << 10;
}

/// <summary>What a concurrent run did.</summary>
public sealed record ConcurrentSoakReport(IReadOnlyList<MtdWorkload> Workloads, int ChurnCycles, IReadOnlyList<string> Failures, TimeSpan Wall, TimeSpan Virtual, string StoppedBy)
{
    public int Requests => Workloads.Sum(w => w.Log.Count);
}

/// <summary>
/// MTD I/O from several threads plus remoteproc churn on one board. Each MTD thread runs its own
/// seeded <see cref="MtdWorkload"/> on its own slice of the flash's first MTD device (equal parts of
/// whole eraseblocks) through the MTD core; one more thread crashes, recovers, stops and starts the
/// remote processors round robin with <see cref="RemoteprocChurn"/>. That thread is the only one that
/// fires clock events (<see cref="global::Qtz.Soc.Time.VirtualClock.FireEventsOnCurrentThread"/>): the remoteprocs and
/// DSP cores are touched by it alone, as kernel work would run on its own CPU. The run stops when every
/// workload has run its requests or a limit passes, then starts whatever is not running and settles.
/// </summary>
public static class ConcurrentSoak
{
    private static readonly TimeSpan JoinGrace = TimeSpan.FromSeconds(60);

    public static ConcurrentSoakReport Run(Board board, ConcurrentSoakOptions options)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(options);
        var mtd = board.Flash?.Driver?.Mtd ?? throw new ArgumentException("the board has no probed flash (BoardOptions.Flash)", nameof(board));
        var slice = mtd.Size / (ulong)options.MtdThreads / mtd.EraseSize * mtd.EraseSize;
        if (slice == 0) throw new ArgumentException($"mtd{mtd.Index} is too small for {options.MtdThreads} regions of whole eraseblocks", nameof(options));
        var workloads = Enumerable.Range(0, options.MtdThreads)
            .Select(k => new MtdWorkload(options.Seed + k, (ulong)k * slice, slice, mtd.EraseSize, options.MaxBytes)).ToArray();
        var failures = new List<string>();
        var wall = Stopwatch.StartNew();
        var virtualStart = board.Clock.Now;
        var stoppedBy = "every workload ran its requests";
        var stop = 0;
        var running = options.MtdThreads;

        void Fail(string what)
        {
            lock (failures) failures.Add(what);
            Interlocked.Exchange(ref stop, 1);
        }

        bool LimitPassed()
        {
            if (Volatile.Read(ref stop) != 0) return true;
            var why = wall.Elapsed > options.WallLimit ? $"the {options.WallLimit.TotalSeconds:0} s wall limit"
                : board.Clock.Now - virtualStart > options.VirtualLimit ? $"the {options.VirtualLimit.TotalSeconds:0} s virtual limit" : null;
            if (why is null) return false;
            if (Interlocked.Exchange(ref stop, 1) == 0) stoppedBy = why;
            return true;
        }

        var threads = workloads.Select((w, k) => new Thread(() =>
        {
            try
            {
                for (var i = 0; i < options.RequestsPerThread && !LimitPassed(); i++) w.RunNext(mtd);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Fail($"mtd thread {k}: {e.GetType().Name}: {e.Message}");
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }) { Name = $"mtd{k}", IsBackground = true }).ToList();

        var cycles = 0;
        var churnThread = new Thread(() =>
        {
            try
            {
                using var events = board.Clock.FireEventsOnCurrentThread();
                cycles = Churn(board, () => Volatile.Read(ref running) > 0 && Volatile.Read(ref stop) == 0, Fail);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Fail($"churn thread: {e.GetType().Name}: {e.Message}");
            }
        }) { Name = "rproc-churn", IsBackground = true };

        churnThread.Start();
        threads.ForEach(t => t.Start());
        // A deadlock must fail the run, not hang it: every thread gets the wall limit plus a grace period.
        var deadline = options.WallLimit + JoinGrace;
        foreach (var t in threads.Append(churnThread))
        {
            if (!t.Join(deadline - wall.Elapsed > TimeSpan.Zero ? deadline - wall.Elapsed : TimeSpan.Zero))
                Fail($"thread {t.Name} was still running {JoinGrace.TotalSeconds:0} s after the wall limit (deadlock?)");
        }

        return new ConcurrentSoakReport(workloads, cycles, failures, wall.Elapsed, board.Clock.Now - virtualStart, failures.Count > 0 ? "a failure" : stoppedBy);
    }

    private static int Churn(Board board, Func<bool> keepGoing, Action<string> fail)
    {
        var churn = new RemoteprocChurn(board);
        var kinds = churn.CrashKinds.Append(ChurnKind.StopStart).ToArray();
        var n = board.Remoteprocs.Count;
        var cycles = 0;
        while (n > 0 && keepGoing())
        {
            var r = board.Remoteprocs[cycles % n];
            var kind = kinds[cycles / n % kinds.Length];
            if (board.Driver(r.Name)?.Rproc.State is RprocState.Running && churn.Cycle(r, kind) is { } failure) fail($"churn cycle {cycles}: {failure}");
            cycles++;
        }

        churn.StartAll();
        return cycles;
    }
}

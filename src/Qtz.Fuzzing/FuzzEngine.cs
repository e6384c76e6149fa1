using System.Diagnostics;

namespace Qtz.Fuzzing;

/// <summary>
/// Runs a campaign: one <see cref="FuzzWorker"/> per thread, each on its own target instance, then
/// merges what they found by signature (the earliest finding of each, hits summed) and writes the
/// shrunk reproducers. A campaign is a pure function of (seed, threads): worker 0 uses the seed itself
/// (so one thread is the classic single loop), worker k the seed mixed with k, and the iterations are
/// shared out in advance; only a time limit makes the outcome depend on the machine. Each loop runs on
/// its own thread with a large stack so that the watchdog can give up on an input that never returns
/// without hanging the caller.
/// </summary>
public static class FuzzEngine
{
    /// <summary>One thread on <paramref name="target"/> (<see cref="FuzzOptions.Threads"/> must be 1).</summary>
    public static FuzzReport Run(FuzzTarget target, FuzzOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Threads != 1)
            throw new ArgumentException("a campaign on several threads needs one target per thread: pass a target factory", nameof(options));
        return Run([target], options);
    }

    /// <summary><see cref="FuzzOptions.Threads"/> workers, each on a target from <paramref name="createTarget"/> (disposed afterwards).</summary>
    public static FuzzReport Run(Func<FuzzTarget> createTarget, FuzzOptions options)
    {
        ArgumentNullException.ThrowIfNull(createTarget);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var targets = new FuzzTarget[options.Threads];
        try
        {
            Parallel.For(0, targets.Length, k => targets[k] = createTarget());
            return Run(targets, options);
        }
        finally
        {
            foreach (var t in targets) (t as IDisposable)?.Dispose();
        }
    }

    /// <summary>Runs one input once (a reproducer): null when it passes, else the failure.</summary>
    public static FuzzFailure? Replay(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        var error = Classify(target, input);
        return error is null or RejectedInput ? null : NewFailure(error, 0, input, input, null);
    }

    /// <summary>The seed worker <paramref name="worker"/> of a campaign uses.</summary>
    public static int WorkerSeed(int seed, int worker) => worker == 0 ? seed : unchecked(seed + (worker * -1640531527)); // 2^32 / golden ratio

    private static FuzzReport Run(FuzzTarget[] targets, FuzzOptions options)
    {
        Validate(options);
        var clock = Stopwatch.StartNew();
        var n = targets.Length;
        var workers = targets.Select((t, k) => new FuzzWorker(t, options, WorkerSeed(options.Seed, k), (options.Iterations / n) + (k < options.Iterations % n ? 1 : 0), k, n)).ToArray();
        var lastProgress = -1L;
        var progressGate = new Lock();
        void OnProgress()
        {
            var permille = (long)(workers.Sum(w => w.Progress) / n * 1000);
            lock (progressGate)
            {
                if (permille <= lastProgress) return;
                lastProgress = permille;
            }

            options.Progress?.Invoke(permille / 1000.0);
        }

        var threads = workers.Select(w => new Thread(() => w.Run(clock, OnProgress), maxStackSize: 64 << 20) { IsBackground = true, Name = $"fuzz {w.Target.Name}" }).ToArray();
        foreach (var t in threads) t.Start();
        var hardLimit = TimeSpan.FromTicks(Math.Max(options.InputBudget.Ticks * 5, TimeSpan.FromSeconds(10).Ticks));
        var stoppedByHang = false;
        for (var k = 0; k < n; k++)
        {
            var stuck = workers[k].Watchdog.WaitForLoop(threads[k], hardLimit);
            if (stuck is null) continue;
            // The thread is abandoned (background): report the input that never came back.
            stoppedByHang = true;
            var name = workers[k].Target.Name;
            workers[k].Add(new FuzzFailure($"hang in {name}", FuzzFailureKind.Hang, "", $"input did not return within {hardLimit.TotalSeconds:0.#} s",
                workers[k].GlobalIteration(workers[k].Done), 1, stuck.Length, stuck, null));
        }

        if (workers.FirstOrDefault(w => w.StartError is not null) is { } broken)
            throw new InvalidOperationException($"fuzz target '{broken.Target.Name}' could not start: {broken.StartError!.Message}", broken.StartError);
        var failures = Merge(workers.SelectMany(w => w.Failures))
            .Select(f => f with { ReproducerPath = options.OutputDirectory is { } dir ? ReproducerFile.Write(dir, targets[0].Name, options.Seed, f) : null })
            .ToArray();
        return new FuzzReport(targets[0].Name, options.Seed, workers.Sum(w => w.Done), clock.Elapsed, workers.Sum(w => w.Generated), workers.Sum(w => w.Rejected),
            workers.Sum(w => w.CorpusSize), failures, stoppedByHang) { Threads = n };
    }

    /// <summary>Per signature: the earliest finding (lowest global iteration), with every worker's hits.</summary>
    private static IEnumerable<FuzzFailure> Merge(IEnumerable<FuzzFailure> found) =>
        found.GroupBy(f => f.Signature, StringComparer.Ordinal)
            .Select(g => g.MinBy(f => f.FirstIteration)! with { Hits = g.Sum(f => f.Hits) })
            .OrderBy(f => f.FirstIteration);

    private static void Validate(FuzzOptions options)
    {
        if (options.Iterations < 0) throw new ArgumentException("iterations must not be negative", nameof(options));
        if (options.InputBudget <= TimeSpan.Zero) throw new ArgumentException("the per-input budget must be positive", nameof(options));
        if (options.Threads < 1) throw new ArgumentException("threads must be at least 1", nameof(options));
    }

    /// <summary>Null when the input passed; <see cref="RejectedInput"/> for a typed rejection; otherwise the failure.</summary>
    internal static Exception? Classify(FuzzTarget target, byte[] input)
    {
        target.Prepare();
        try
        {
            target.Execute(input);
            return null;
        }
        catch (Exception e) when (target.IsExpectedRejection(e))
        {
            return RejectedInput.Instance;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    internal static FuzzFailure NewFailure(Exception error, long iteration, byte[] input, byte[] minimal, string? signature)
    {
        var kind = error switch
        {
            FuzzHangException => FuzzFailureKind.Hang,
            FuzzInvariantException => FuzzFailureKind.Invariant,
            _ => FuzzFailureKind.Crash,
        };
        return new FuzzFailure(signature ?? FailureSignature.Of(error), kind, error.GetType().FullName ?? error.GetType().Name,
            error.Message, iteration, 1, input.Length, minimal, null);
    }

    /// <summary>Marker for "the target rejected the input with a typed error": not a failure.</summary>
    internal sealed class RejectedInput : Exception
    {
        public static readonly RejectedInput Instance = new();
    }
}

/// <summary>An input that ran past the per-input budget.</summary>
public sealed class FuzzHangException : Exception
{
    public FuzzHangException()
    {
    }

    public FuzzHangException(string message) : base(message)
    {
    }

    public FuzzHangException(string message, Exception inner) : base(message, inner)
    {
    }
}

using System.Diagnostics;

namespace Qtz.Fuzzing;

/// <summary>
/// One campaign loop on one target instance: its own random stream, corpus and watchdog. Inputs come
/// from the target's generator or from seeded mutation of the corpus; each runs under the watchdog;
/// failures are grouped by <see cref="FailureSignature"/> and the first of each is shrunk with
/// <see cref="InputMinimizer"/>. The input schedule is a pure function of the worker's seed (a time
/// limit only cuts it short). Iteration numbers are global: local input i of worker k out of n is
/// number i·n + k.
/// </summary>
internal sealed class FuzzWorker(FuzzTarget target, FuzzOptions options, int seed, long iterations, int index, int workers)
{
    private const int CorpusLimit = 256;
    private readonly Dictionary<string, FuzzFailure> _failures = new(StringComparer.Ordinal);
    private long _done;

    public FuzzTarget Target { get; } = target;

    public FuzzWatchdog Watchdog { get; } = new();

    public long Done => Interlocked.Read(ref _done);

    public long Generated { get; private set; }

    public long Rejected { get; private set; }

    public int CorpusSize { get; private set; }

    /// <summary>Fraction of this worker's share done, in [0, 1].</summary>
    public double Progress => iterations == 0 ? 1 : (double)Done / iterations;

    public Exception? StartError { get; private set; }

    public IReadOnlyCollection<FuzzFailure> Failures
    {
        get { lock (_failures) return [.. _failures.Values]; }
    }

    public long GlobalIteration(long local) => (local * workers) + index;

    public void Run(Stopwatch clock, Action onProgress)
    {
        try
        {
            Loop(clock, onProgress);
        }
        catch (Exception e)
        {
            StartError = e; // set-up failures (seeds, a board that will not boot) surface to the caller
        }
    }

    /// <summary>Records a failure the engine found for this worker (a hang the watchdog gave up on).</summary>
    public void Add(FuzzFailure failure)
    {
        lock (_failures) _failures[failure.Signature] = failure;
    }

    private void Loop(Stopwatch clock, Action onProgress)
    {
        var random = new Random(seed);
        var corpus = Target.Seeds(random).Where(s => s.Length <= Target.MaxInputLength).ToList();
        if (corpus.Count == 0) corpus.Add(Target.Generate(random) ?? [0]);
        CorpusSize = corpus.Count;
        var mutator = new FuzzMutator(Target.ByteOrder, Target.MaxInputLength);
        var canGenerate = true;
        var generationRate = Math.Max(1, Target.GenerationRate);
        for (long i = 0; i < iterations; i++)
        {
            if (options.TimeLimit is { } limit && clock.Elapsed >= limit) break;
            byte[]? input = null;
            if (canGenerate && random.Next(generationRate) == 0)
            {
                input = Target.Generate(random);
                canGenerate = input is not null;
                if (input is not null) Generated++;
            }

            input ??= i < corpus.Count ? corpus[(int)i] : mutator.Mutate(corpus[random.Next(corpus.Count)], corpus[random.Next(corpus.Count)], random);
            Target.Prepare(); // outside the input's budget (a board rebuild, say)
            var started = Stopwatch.GetTimestamp();
            Watchdog.Begin(input);
            var error = FuzzEngine.Classify(Target, input);
            Watchdog.End();
            var took = Stopwatch.GetElapsedTime(started);
            Interlocked.Increment(ref _done);
            if (error is null && took > options.InputBudget)
                error = new FuzzHangException($"input took {took.TotalMilliseconds:0} ms, budget {options.InputBudget.TotalMilliseconds:0} ms");

            if (error is FuzzEngine.RejectedInput) Rejected++;
            else if (error is not null) OnFailure(error, GlobalIteration(i), input);
            else if (corpus.Count < CorpusLimit && random.Next(64) == 0) corpus.Add(input);

            CorpusSize = corpus.Count;
            onProgress();
        }
    }

    private void OnFailure(Exception error, long iteration, byte[] input)
    {
        var signature = error is FuzzHangException ? $"hang in {Target.Name}" : FailureSignature.Of(error);
        lock (_failures)
        {
            if (_failures.TryGetValue(signature, out var known))
            {
                _failures[signature] = known with { Hits = known.Hits + 1 };
                return;
            }
        }

        // Timing-based failures do not shrink reliably: keep those as found.
        var minimal = error is FuzzHangException
            ? input
            : InputMinimizer.Minimize(input, candidate =>
            {
                Watchdog.Begin(candidate);
                var again = FuzzEngine.Classify(Target, candidate);
                Watchdog.End();
                return again is not null and not FuzzEngine.RejectedInput && FailureSignature.Of(again) == signature;
            }, options.MinimizeExecutions);
        Add(FuzzEngine.NewFailure(error, iteration, input, minimal, signature));
    }
}

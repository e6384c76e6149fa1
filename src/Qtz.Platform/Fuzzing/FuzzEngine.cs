using System.Diagnostics;

namespace Qtz.Platform.Fuzzing;

/// <summary>
/// The campaign loop. Inputs come from the target's generator or from seeded mutation of the corpus;
/// each runs under a watchdog; failures are grouped by <see cref="FailureSignature"/>, the first of each
/// signature is shrunk with <see cref="InputMinimizer"/> and written to the output directory.
/// The input schedule is a pure function of the seed, so a run is repeatable (a time limit only cuts
/// it short). The loop runs on its own thread with a large stack so that the watchdog can give up on
/// an input that never returns without hanging the caller.
/// </summary>
public sealed class FuzzEngine
{
    private const int CorpusLimit = 256;
    private readonly FuzzTarget _target;
    private readonly FuzzOptions _options;
    private readonly Dictionary<string, FuzzFailure> _failures = new(StringComparer.Ordinal);
    private readonly FuzzWatchdog _watchdog = new();
    private long _iterations;
    private long _generated;
    private long _rejected;
    private int _corpusSize;

    public FuzzEngine(FuzzTarget target, FuzzOptions options)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Iterations < 0) throw new ArgumentException("iterations must not be negative", nameof(options));
        if (options.InputBudget <= TimeSpan.Zero) throw new ArgumentException("the per-input budget must be positive", nameof(options));
    }

    public static FuzzReport Run(FuzzTarget target, FuzzOptions options) => new FuzzEngine(target, options).Run();

    /// <summary>Runs one input once (a reproducer): null when it passes, else the failure.</summary>
    public static FuzzFailure? Replay(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        var error = Classify(target, input);
        return error is null or RejectedInput ? null : NewFailure(error, 0, input, input, null);
    }

    public FuzzReport Run()
    {
        var clock = Stopwatch.StartNew();
        Exception? loopError = null;
        var loop = new Thread(() =>
        {
            try
            {
                Loop(clock);
            }
            catch (Exception e)
            {
                loopError = e; // set-up failures (seeds) surface to the caller below
            }
        }, maxStackSize: 64 << 20) { IsBackground = true, Name = $"fuzz {_target.Name}" };
        loop.Start();
        var hardLimit = TimeSpan.FromTicks(Math.Max(_options.InputBudget.Ticks * 5, TimeSpan.FromSeconds(10).Ticks));
        var stuck = _watchdog.WaitForLoop(loop, hardLimit);
        if (loopError is not null) throw new InvalidOperationException($"fuzz target '{_target.Name}' could not start: {loopError.Message}", loopError);
        if (stuck is not null)
        {
            // The thread is abandoned (background): report the input that never came back.
            var message = $"input did not return within {hardLimit.TotalSeconds:0.#} s";
            Record(new FuzzFailure($"hang in {_target.Name}", FuzzFailureKind.Hang, "", message, Interlocked.Read(ref _iterations), 1, stuck.Length, stuck, null));
        }

        lock (_failures)
        {
            return new FuzzReport(_target.Name, _options.Seed, Interlocked.Read(ref _iterations), clock.Elapsed, _generated, _rejected, _corpusSize,
                _failures.Values.OrderBy(f => f.FirstIteration).ToArray(), stuck is not null);
        }
    }

    private void Loop(Stopwatch clock)
    {
        var random = new Random(_options.Seed);
        var corpus = _target.Seeds(random).Where(s => s.Length <= _target.MaxInputLength).ToList();
        if (corpus.Count == 0) corpus.Add(_target.Generate(random) ?? [0]);
        _corpusSize = corpus.Count;
        var mutator = new FuzzMutator(_target.ByteOrder, _target.MaxInputLength);
        var canGenerate = true;
        var lastProgress = -1L;
        for (long i = 0; i < _options.Iterations; i++)
        {
            if (_options.TimeLimit is { } limit && clock.Elapsed >= limit) break;
            byte[]? input = null;
            if (canGenerate && random.Next(8) == 0)
            {
                input = _target.Generate(random);
                canGenerate = input is not null;
                if (input is not null) _generated++;
            }

            input ??= i < corpus.Count ? corpus[(int)i] : mutator.Mutate(corpus[random.Next(corpus.Count)], corpus[random.Next(corpus.Count)], random);
            _target.Prepare();
            var started = Stopwatch.GetTimestamp();
            _watchdog.Begin(input);
            var error = Classify(_target, input);
            _watchdog.End();
            var took = Stopwatch.GetElapsedTime(started);
            Interlocked.Increment(ref _iterations);
            if (error is null && took > _options.InputBudget)
                error = new FuzzHangException($"input took {took.TotalMilliseconds:0} ms, budget {_options.InputBudget.TotalMilliseconds:0} ms");

            if (error is RejectedInput) _rejected++;
            else if (error is not null) OnFailure(error, i, input);
            else if (corpus.Count < CorpusLimit && random.Next(64) == 0) corpus.Add(input);

            _corpusSize = corpus.Count;
            var permille = _options.Iterations == 0 ? 1000 : i * 1000 / _options.Iterations;
            if (permille != lastProgress)
            {
                lastProgress = permille;
                _options.Progress?.Invoke(permille / 1000.0);
            }
        }
    }

    /// <summary>Null when the input passed; <see cref="RejectedInput"/> for a typed rejection; otherwise the failure.</summary>
    private static Exception? Classify(FuzzTarget target, byte[] input)
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

    private void OnFailure(Exception error, long iteration, byte[] input)
    {
        var signature = error is FuzzHangException ? $"hang in {_target.Name}" : FailureSignature.Of(error);
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
                _watchdog.Begin(candidate);
                var again = Classify(_target, candidate);
                _watchdog.End();
                return again is not null and not RejectedInput && FailureSignature.Of(again) == signature;
            }, _options.MinimizeExecutions);
        Record(NewFailure(error, iteration, input, minimal, signature));
    }

    private void Record(FuzzFailure failure)
    {
        var path = _options.OutputDirectory is { } dir ? ReproducerFile.Write(dir, _target.Name, _options.Seed, failure) : null;
        lock (_failures) _failures[failure.Signature] = failure with { ReproducerPath = path };
    }

    private static FuzzFailure NewFailure(Exception error, long iteration, byte[] input, byte[] minimal, string? signature)
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
    private sealed class RejectedInput : Exception
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

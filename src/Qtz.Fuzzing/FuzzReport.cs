namespace Qtz.Fuzzing;

/// <summary>How to run a campaign.</summary>
public sealed record FuzzOptions
{
    public long Iterations { get; init; } = 10_000;

    /// <summary>Workers running in parallel, each on its own target instance (see <see cref="FuzzEngine"/>).</summary>
    public int Threads { get; init; } = 1;

    public int Seed { get; init; } = 1;

    /// <summary>Stop after this long even if iterations remain (iterations then say how far it got).</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>An input that takes longer is reported as a hang.</summary>
    public TimeSpan InputBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Replays allowed per failure while shrinking it.</summary>
    public int MinimizeExecutions { get; init; } = 4_000;

    /// <summary>Where reproducers go (created on the first failure); null keeps them in the report only.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Fraction done in [0, 1].</summary>
    public Action<double>? Progress { get; init; }
}

public enum FuzzFailureKind
{
    /// <summary>An exception that is not one of the target's typed rejections.</summary>
    Crash,

    /// <summary>The target's own invariant did not hold.</summary>
    Invariant,

    /// <summary>The input ran past the per-input budget (or never returned).</summary>
    Hang,
}

/// <summary>One unique failure: its signature, how often it was hit, and the shrunk reproducer.</summary>
public sealed record FuzzFailure(
    string Signature,
    FuzzFailureKind Kind,
    string ExceptionType,
    string Message,
    long FirstIteration,
    int Hits,
    int InputLength,
    byte[] Reproducer,
    string? ReproducerPath);

/// <summary>What a campaign did.</summary>
public sealed record FuzzReport(
    string Target,
    int Seed,
    long Iterations,
    TimeSpan Elapsed,
    long Generated,
    long Rejected,
    int CorpusSize,
    IReadOnlyList<FuzzFailure> Failures,
    bool StoppedByHang)
{
    /// <summary>Workers that ran in parallel.</summary>
    public int Threads { get; init; } = 1;

    public double ExecsPerSecond => Elapsed.TotalSeconds > 0 ? Iterations / Elapsed.TotalSeconds : 0;

    public bool Passed => Failures.Count == 0;
}

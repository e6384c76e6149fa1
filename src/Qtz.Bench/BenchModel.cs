using System.Globalization;

namespace Qtz.Bench;

/// <summary>The machine a run was measured on (every result line carries it).</summary>
public sealed record BenchMachine(int Cores, string CpuModel, string LoadAverage, string Os, string Runtime)
{
    public static BenchMachine Current()
    {
        var model = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal) || l.StartsWith("Hardware", StringComparison.Ordinal));
            if (line is not null) model = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }

        return new BenchMachine(Environment.ProcessorCount, model, LoadNow(), System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }

    /// <summary>The 1, 5 and 15-minute load averages from /proc/loadavg ("unknown" elsewhere).</summary>
    public static string LoadNow() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>1-minute load average above the core count: other work competed for the CPUs during the run.</summary>
    public bool UnderLoad => IsOverloaded(LoadAverage, Cores);

    public static bool IsOverloaded(string loadAverage, int cores) =>
        double.TryParse(loadAverage?.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var one) && one > cores;

    public override string ToString() => $"{Cores} cores, {CpuModel}, load {LoadAverage}";
}

/// <summary>
/// One side of a comparison. For a process: <see cref="Seconds"/> is the median wall time of
/// <see cref="Runs"/> timed runs (after one untimed warm-up), with the fastest and slowest beside it
/// and every sample in <see cref="Samples"/>; <see cref="PeakRssMiB"/> is the largest resident set any
/// run reached (from <c>/usr/bin/time</c>, null when it is missing). For an in-process rate:
/// <see cref="Seconds"/> is the median time of one timed loop of <see cref="Operations"/> operations.
/// </summary>
public sealed record BenchFigure(
    string Tool,
    string Command,
    double Seconds,
    double MinSeconds,
    double MaxSeconds,
    int Runs,
    IReadOnlyList<double> Samples,
    double? MiBPerSecond = null,
    long? Operations = null,
    double? OperationsPerSecond = null,
    double? PeakRssMiB = null,
    int ExitCode = 0,
    string? Error = null);

/// <summary>What a figure is held to, and why (the promise it checks).</summary>
public enum BenchTargetKind
{
    /// <summary>qtz time / peer time must not exceed the value.</summary>
    TimeRatioAtMost,

    /// <summary>qtz operations per second must reach the value.</summary>
    RateAtLeast,

    /// <summary>qtz peak resident set (MiB) must not exceed the value.</summary>
    PeakRssAtMost,

    /// <summary>qtz's median wall time (seconds) must not exceed the value, whatever the peer takes.</summary>
    SecondsAtMost,
}

public sealed record BenchTarget(BenchTargetKind Kind, double Value, string Source)
{
    /// <summary>A speed target ("qtz at least N× the peer's speed") as the time ratio it implies.</summary>
    public static BenchTarget SpeedAtLeast(double times, string source) => new(BenchTargetKind.TimeRatioAtMost, 1 / times, source);

    /// <summary>Null when the result has nothing to hold to the target (skipped, or a run failed).</summary>
    public bool? MetBy(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Skipped is not null || result.Qtz is not { ExitCode: 0 } qtz || result.Peer is { ExitCode: not 0 }) return null;
        return Kind switch
        {
            BenchTargetKind.TimeRatioAtMost => result.Ratio is { } r ? r <= Value : null,
            BenchTargetKind.RateAtLeast => qtz.OperationsPerSecond is { } ops ? ops >= Value : null,
            BenchTargetKind.SecondsAtMost => qtz.Seconds <= Value,
            _ => qtz.PeakRssMiB is { } rss ? rss <= Value : null,
        };
    }
}

/// <summary>
/// One headline comparison. <see cref="Ratio"/> is qtz's time over the peer's (below 1: qtz is faster);
/// null when there is no peer (in-process rates) or the entry was skipped, with <see cref="Skipped"/> saying why.
/// </summary>
public sealed record BenchResult(string Name, string Inputs, BenchMachine Machine, BenchFigure? Qtz, BenchFigure? Peer, string? Skipped = null, BenchTarget? Target = null)
{
    public double? Ratio => Qtz is { } q && Peer is { Seconds: > 0 } p ? q.Seconds / p.Seconds : null;

    public bool? TargetMet => Target?.MetBy(this);
}

/// <summary>A peer tool and the version it reported (first line of its version output).</summary>
public sealed record PeerVersion(string Tool, string Version);

/// <summary>A whole <c>qtz bench</c> run: where, how, with what, and every result.</summary>
public sealed record BenchReport(
    BenchMachine Machine,
    string LoadAtEnd,
    string Method,
    bool WarmUp,
    int Runs,
    long SizeBytes,
    IReadOnlyList<PeerVersion> Peers,
    IReadOnlyList<BenchResult> Results);

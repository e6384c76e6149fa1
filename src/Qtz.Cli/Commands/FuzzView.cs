using System.Globalization;
using Qtz.Platform.Fuzzing;

namespace Qtz.Cli.Commands;

/// <summary>How a fuzz report is printed and serialised.</summary>
internal static class FuzzView
{
    public static void Print(TextWriter stdout, FuzzReport report)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(report);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz {report.Target}: {report.Iterations} iterations in {report.Elapsed.TotalSeconds:0.0} s ({report.ExecsPerSecond:0} exec/s), seed {report.Seed}{(report.Threads > 1 ? $", {report.Threads} threads" : "")}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {report.Generated} generated, {report.Rejected} rejected with a typed error, corpus {report.CorpusSize}"));
        stdout.WriteLine($"  unique failures: {report.Failures.Count}");
        foreach (var f in report.Failures)
        {
            stdout.WriteLine($"  - {f.Kind.ToString().ToLowerInvariant()}: {f.Signature} ({f.Hits} hit{(f.Hits == 1 ? "" : "s")}, first at iteration {f.FirstIteration})");
            stdout.WriteLine($"    {f.Message}");
            stdout.WriteLine($"    reproducer: {f.ReproducerPath ?? "(not written)"} ({f.InputLength} bytes shrunk to {f.Reproducer.Length})");
        }

        if (report.StoppedByHang) stdout.WriteLine("  stopped: an input never returned (see the hang above)");
    }

    public static object Of(FuzzReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            target = report.Target,
            seed = report.Seed,
            threads = report.Threads,
            iterations = report.Iterations,
            seconds = Math.Round(report.Elapsed.TotalSeconds, 3),
            execsPerSecond = Math.Round(report.ExecsPerSecond, 1),
            generated = report.Generated,
            rejected = report.Rejected,
            corpus = report.CorpusSize,
            uniqueFailures = report.Failures.Count,
            stoppedByHang = report.StoppedByHang,
            failures = report.Failures.Select(Of).ToArray(),
        };
    }

    public static object Of(FuzzFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new
        {
            kind = failure.Kind,
            signature = failure.Signature,
            exception = failure.ExceptionType,
            message = failure.Message,
            hits = failure.Hits,
            firstIteration = failure.FirstIteration,
            inputLength = failure.InputLength,
            reproducerLength = failure.Reproducer.Length,
            reproducer = failure.ReproducerPath,
        };
    }
}

using System.Globalization;
using Qtz.Fuzzing;

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

    internal sealed record FailureJson(string Kind, string Signature, string Exception, string Message, int Hits, long FirstIteration,
        int InputLength, int ReproducerLength, string? Reproducer);

    internal sealed record ReportJson(string Target, int Seed, int Threads, long Iterations, double Seconds, double ExecsPerSecond,
        long Generated, long Rejected, int Corpus, int UniqueFailures, bool StoppedByHang, IReadOnlyList<FailureJson> Failures);

    internal sealed record ReplayJson(string Target, string File, bool Passed, FailureJson? Failure);

    public static ReportJson Of(FuzzReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ReportJson(report.Target, report.Seed, report.Threads, report.Iterations, Math.Round(report.Elapsed.TotalSeconds, 3),
            Math.Round(report.ExecsPerSecond, 1), report.Generated, report.Rejected, report.CorpusSize, report.Failures.Count, report.StoppedByHang,
            [.. report.Failures.Select(Of)]);
    }

    public static FailureJson Of(FuzzFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new FailureJson(Infrastructure.JsonOutput.Name(failure.Kind), failure.Signature, failure.ExceptionType, failure.Message, failure.Hits,
            failure.FirstIteration, failure.InputLength, failure.Reproducer.Length, failure.ReproducerPath);
    }
}

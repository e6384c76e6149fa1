using System.Globalization;
using Qtz.Linux.Run;
using Qtz.Linux.Setup;

namespace Qtz.Linux.Suites;

/// <summary>A real-kernel test suite (<c>qtz linux test NAME</c>).</summary>
public interface ILinuxSuite
{
    string Name { get; }

    LinuxSuiteReport Run(LinuxSuiteContext context);
}

/// <summary>What a suite runs with: the set-up cache, cancellation (Ctrl-C), progress lines and the guest console (null: not shown).</summary>
public sealed record LinuxSuiteContext(LinuxCache Cache, Action<string> Progress, Action<string>? Console, CancellationToken Cancel);

/// <summary>One check of a suite: guest-side ("qtz-check:" lines), host-side (the flash image, the trace) or a measurement.</summary>
public sealed record LinuxCheck(string Name, bool Passed, string Detail);

/// <summary>A suite's outcome: its checks, measured figures, and the boots it took.</summary>
public sealed class LinuxSuiteReport(string suite)
{
    public string Suite { get; } = suite;

    public List<LinuxCheck> Checks { get; } = [];

    /// <summary>Named figures (seconds, MiB/s, µs) for benchmarks and the summary.</summary>
    public Dictionary<string, double> Figures { get; } = new(StringComparer.Ordinal);

    public List<GuestRunResult> Boots { get; } = [];

    public TimeSpan Wall { get; set; }

    public bool Interrupted => Boots.Any(b => b.Outcome == GuestOutcome.Interrupted);

    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Passed) && !Interrupted;

    /// <summary>Records a check; <paramref name="detail"/> (why it failed) is kept only when it failed.</summary>
    public void Check(string name, bool passed, string detail = "") => Checks.Add(new LinuxCheck(name, passed, passed ? "" : detail));

    public string Summary
    {
        get
        {
            var failed = Checks.Where(c => !c.Passed).ToList();
            var head = string.Create(CultureInfo.InvariantCulture,
                $"linux test {Suite}: {Checks.Count - failed.Count}/{Checks.Count} checks passed in {Wall.TotalSeconds:0.0} s ({Boots.Count} boot(s))");
            return failed.Count == 0 ? head : head + "; failed: " + string.Join("; ", failed.Select(f => $"{f.Name}: {f.Detail}"));
        }
    }
}

/// <summary>Every suite, in the order help lists them. A new suite is one line here.</summary>
public static class LinuxSuites
{
    public static IReadOnlyList<ILinuxSuite> All { get; } =
    [
        new StorageSuite(),
        new Remoteproc.PasSuite(),
        new Remoteproc.RprocSuite(),
        new Remoteproc.RprocKvmSuite(),
    ];
}

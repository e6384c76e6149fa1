using Qtz.Linux;
using Qtz.Linux.Suites;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz linux test --json</c>: a suite's verdict, its checks and figures.</summary>
internal sealed record LinuxSuiteView(string Suite, bool Passed, double WallSeconds, int Boots, IReadOnlyList<LinuxCheck> Checks, IReadOnlyDictionary<string, double> Figures)
{
    public static LinuxSuiteView Of(LinuxSuiteReport report) =>
        new(report.Suite, report.Passed, Math.Round(report.Wall.TotalSeconds, 3), report.Boots.Count, report.Checks, report.Figures);
}

/// <summary><c>qtz linux bench --json</c>: the machine and every measured row.</summary>
internal sealed record LinuxBenchView(string Machine, IReadOnlyList<LinuxBenchRow> Rows);

using System.Globalization;
using System.Text;

namespace Qtz.Bench;

/// <summary>
/// A report as text: the README's markdown table (<c>qtz bench --markdown</c>, so the README is
/// regenerated from a run and a test can hold its rows and columns to the command's) and the plain
/// listing <c>qtz bench</c> prints by default.
/// </summary>
public static class BenchTable
{
    public const string Header = "| comparison | input | qtz | peer | qtz/peer time | target | met |";

    public static string Markdown(BenchReport report, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(Inv($"`{commandLine}` on {report.Machine.Cores} cores ({report.Machine.CpuModel}), {report.Machine.Runtime}; "))
            .Append(Inv($"load average {report.Machine.LoadAverage} at the start and {report.LoadAtEnd} at the end"))
            .Append(report.Machine.UnderLoad || BenchMachine.IsOverloaded(report.LoadAtEnd, report.Machine.Cores) ? " (**measured under load**)" : "")
            .Append(Inv($"; {Runs(report)}. Peers: {string.Join(", ", report.Peers.Select(p => p.Version))}.")).AppendLine()
            .AppendLine()
            .AppendLine(Header)
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in report.Results)
        {
            var cells = new[] { r.Name, r.Inputs, Cell(r, r.Qtz), r.Skipped is { } why ? "skipped: " + why : Cell(r, r.Peer), Ratio(r), Target(r.Target), Met(r) };
            text.AppendLine("| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        return text.ToString();
    }

    public static string Plain(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(Inv($"machine: {report.Machine}{(report.Machine.UnderLoad ? " (measured under load)" : "")}; load at the end {report.LoadAtEnd}"))
            .AppendLine("method: " + report.Method)
            .AppendLine("peers: " + string.Join("; ", report.Peers.Select(p => p.Version)));
        foreach (var r in report.Results)
        {
            text.AppendLine(Inv($"{r.Name}: {r.Inputs}"));
            foreach (var f in new[] { r.Qtz, r.Peer })
            {
                if (f is null) continue;
                var spread = f.Runs > 1 ? Inv($" (median of {f.Runs}: {f.MinSeconds:0.000}–{f.MaxSeconds:0.000} s)") : "";
                var rss = f.PeakRssMiB is { } m && r.Target?.Kind != BenchTargetKind.PeakRssAtMost ? Inv($", peak RSS {m:0} MiB") : "";
                text.AppendLine(Inv($"  {f.Tool}: {Cell(r, f)}{spread}{rss}"));
            }

            if (r.Ratio is { } ratio) text.AppendLine(Inv($"  ratio (qtz time / peer time): {ratio:0.00}"));
            if (r.Skipped is { } why) text.AppendLine("  skipped: " + why);
            if (r.Target is { } t) text.AppendLine(Inv($"  target {Target(t)}: {Met(r)}"));
        }

        return text.ToString();
    }

    /// <summary>The table's first column, in order (what the README check compares).</summary>
    public static IReadOnlyList<string> RowNames(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return markdown.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l != Header)
            .Select(l => l[2..l.IndexOf(" |", 1, StringComparison.Ordinal)])
            .ToArray();
    }

    private static string Runs(BenchReport report) =>
        Inv($"median of {report.Runs} run{(report.Runs == 1 ? "" : "s")}{(report.WarmUp ? " after a warm-up run" : ", no warm-up")}, commands of one comparison interleaved");

    private static string Cell(BenchResult r, BenchFigure? f)
    {
        if (f is null) return "–";
        var exit = f.ExitCode != 0 ? Inv($" (exit {f.ExitCode}{(f.Error is { } e ? ": " + e : "")})") : "";
        if (r.Target?.Kind == BenchTargetKind.PeakRssAtMost)
            return (f.PeakRssMiB is { } rss ? Inv($"{rss:0} MiB peak RSS") : "peak RSS unknown (no /usr/bin/time)") + exit;
        if (f.OperationsPerSecond is { } ops) return Rate(ops) + exit;
        return Seconds(f.Seconds) + (f.MiBPerSecond is { } mib ? Inv($" ({mib:0} MiB/s)") : "") + exit;
    }

    private static string Seconds(double seconds) => seconds switch
    {
        // An SMC round trip is tens of microseconds: in ms with one decimal it would read as its 0.1 ms target.
        < 0.001 => Inv($"{seconds * 1e6:0.0} µs"),
        < 0.1 => Inv($"{seconds * 1000:0.0} ms"),
        _ => Inv($"{seconds:0.000} s"),
    };

    private static string Rate(double perSecond) => perSecond >= 1e6 ? Inv($"{perSecond / 1e6:0.0} M/s") : Inv($"{perSecond:N0} /s");

    private static string Ratio(BenchResult r) => r.Ratio is { } x ? Inv($"{x:0.00}") : "–";

    private static string Target(BenchTarget? t) => t is null ? "–" : t.Kind switch
    {
        BenchTargetKind.TimeRatioAtMost => Inv($"≤ {t.Value:0.00} ({t.Source})"),
        BenchTargetKind.RateAtLeast => $"≥ {Rate(t.Value)} ({t.Source})",
        BenchTargetKind.SecondsAtMost => $"≤ {Seconds(t.Value)} ({t.Source})",
        _ => Inv($"≤ {t.Value:0} MiB ({t.Source})"),
    };

    private static string Met(BenchResult r) => r.TargetMet switch
    {
        true => "yes",
        false => "**no**",
        null => "–",
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

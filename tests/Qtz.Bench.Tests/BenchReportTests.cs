using Qtz.Bench;
using Xunit;

namespace Qtz.Bench.Tests;

public class BenchReportTests
{
    private static readonly BenchMachine Machine = new(2, "test cpu", "0.10 0.20 0.30", "linux", ".NET");

    private static BenchFigure Figure(double seconds, double? rss = null, int exit = 0) =>
        new("tool", "cmd", seconds, seconds, seconds, 1, [seconds], PeakRssMiB: rss, ExitCode: exit);

    [Fact]
    public void Median_of_an_odd_count_is_the_middle_sample_and_of_an_even_count_the_mean_of_the_middle_two()
    {
        Assert.Equal(2.0, ProcessTimer.Median([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, ProcessTimer.Median([4.0, 1.0, 2.0, 3.0]));
    }

    [Fact]
    public void A_speed_target_is_held_as_the_time_ratio_it_implies()
    {
        var target = BenchTarget.SpeedAtLeast(0.9, "issue 4");
        Assert.True(new BenchResult("r", "in", Machine, Figure(1.11), Figure(1.0), Target: target).TargetMet);
        Assert.False(new BenchResult("r", "in", Machine, Figure(1.12), Figure(1.0), Target: target).TargetMet);
    }

    [Fact]
    public void A_skipped_or_failed_comparison_neither_meets_nor_misses_its_target()
    {
        var target = new BenchTarget(BenchTargetKind.TimeRatioAtMost, 1.5, "issue 6");
        Assert.Null(new BenchResult("r", "in", Machine, Figure(1), null, "peer is not installed", target).TargetMet);
        Assert.Null(new BenchResult("r", "in", Machine, Figure(1, exit: 1), Figure(1), Target: target).TargetMet);
    }

    [Fact]
    public void Markdown_table_has_the_header_and_one_row_per_result_in_order_whatever_the_figures()
    {
        var results = new[]
        {
            new BenchResult("boot vs verify", "five images", Machine, Figure(0.8, rss: 80), Figure(1.2), Target: new BenchTarget(BenchTargetKind.TimeRatioAtMost, 1.5, "issue 6")),
            new BenchResult("boot peak RSS", "five images", Machine, Figure(0.8, rss: 80), null, Target: new BenchTarget(BenchTargetKind.PeakRssAtMost, 300, "issue 6")),
            new BenchResult("dt dump vs dtc", "blobs", Machine, Figure(1), null, "dtc is not installed"),
        };
        var report = new BenchReport(Machine, "0.1 0.1 0.1", "method", true, 5, 1 << 30, [new PeerVersion("qtz", "qtz 0.1")], results);
        var markdown = BenchTable.Markdown(report, "qtz bench");

        Assert.Contains(BenchTable.Header, markdown, StringComparison.Ordinal);
        Assert.Equal(new[] { "boot vs verify", "boot peak RSS", "dt dump vs dtc" }, BenchTable.RowNames(markdown));
        Assert.Contains("| 80 MiB peak RSS |", markdown, StringComparison.Ordinal);
        Assert.Contains("| skipped: dtc is not installed |", markdown, StringComparison.Ordinal);
        Assert.Contains("median of 5 runs after a warm-up run", markdown, StringComparison.Ordinal);
    }
}

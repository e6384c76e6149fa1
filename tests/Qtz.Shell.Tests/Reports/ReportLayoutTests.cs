using System.Text.RegularExpressions;
using Qtz.Shell.Reports;
using Qtz.TestSupport;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Shell.Tests.Reports;

/// <summary>The report fits a screen: a 2 GiB DDR with thousands of 4 KiB mappings stays readable at 1400 px.</summary>
public sealed class ReportLayoutTests
{
    /// <summary>2 GiB of DDR; a DSP with 4,096 scattered 4 KiB mappings (every other page) and a carveout mapped page by page.</summary>
    private static BoardReport Busy()
    {
        var basic = ReportsFixture.Report();
        var scattered = Enumerable.Range(0, 4096).Select(i =>
            new SmmuMappingInfo("adsp", 0x3000, 0x1000_0000UL + ((ulong)i * 0x2000), 0x8000_0000UL + ((ulong)i * 0x2000), 0x1000, "rw"));
        var paged = Enumerable.Range(0, 0x1E0).Select(i =>
            new SmmuMappingInfo("cdsp0", 0x3400, 0x97a0_0000UL + ((ulong)i * 0x1000), 0x97a0_0000UL + ((ulong)i * 0x1000), 0x1000, "rwx"));
        return basic with { Mappings = [.. basic.Mappings, .. scattered, .. paged] };
    }

    [Fact]
    public void Thousands_of_small_regions_keep_the_map_within_a_screen()
    {
        var svg = MemoryMapSvg.Render(Busy());
        var viewBox = Regex.Match(svg, "viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"");
        Assert.True(double.Parse(viewBox.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) <= MemoryMapScale.MaxHeight + 60);
        Assert.Contains("width=\"100%\"", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_carveout_mapped_page_by_page_is_one_run()
    {
        var runs = MemoryMapSvg.Merge(Busy().Mappings.Where(m => m.Remoteproc == "cdsp0"));
        // the fixture's 30 MiB mapping, and 480 pages mapped one by one over its start as one 1.875 MiB run
        Assert.Equal([0x1E0_0000UL, 0x1E_0000UL], runs.Select(r => r.Size));
    }

    [Fact]
    public void Crashes_are_marked_across_the_timeline()
    {
        var svg = TimelineSvg.Render(ReportsFixture.Report().Timeline);
        Assert.Single(Regex.Matches(svg, "<g class=\"crash\">"));
    }

    [Fact]
    public void The_remoteproc_logs_crash_and_recovery_lines_are_marked()
    {
        var log = new Qtz.Platform.Tracing.TraceLog();
        log.Instant(new Qtz.Soc.Time.VirtualTime(250_000_000), "rproc:adsp", "remoteproc", new Dictionary<string, string> { ["what"] = "crash detected in adsp: type watchdog" });
        log.Instant(new Qtz.Soc.Time.VirtualTime(250_000_000), "rproc:adsp", "remoteproc", new Dictionary<string, string> { ["what"] = "state crashed" });
        log.Instant(new Qtz.Soc.Time.VirtualTime(260_000_000), "rproc:adsp", "remoteproc", new Dictionary<string, string> { ["what"] = "recovering adsp" });
        var svg = TimelineSvg.Render(log.Records);
        Assert.Single(Regex.Matches(svg, "<g class=\"crash\">"));
        Assert.Single(Regex.Matches(svg, "<g class=\"recovery\">"));
    }

    [RequiresToolFact("chromium")]
    public void In_headless_chromium_at_1400_px_the_page_has_no_horizontal_overflow_and_a_bounded_height()
    {
        using var dir = new TempDirectory();
        // the report has no script; this copy adds one that writes the layout into the DOM chromium dumps
        var page = dir.File("layout.html");
        var probe = "<script>document.body.setAttribute('data-layout', document.documentElement.scrollWidth + 'x' + " +
                    "document.documentElement.scrollHeight + ' ' + document.documentElement.clientWidth);</script>";
        File.WriteAllText(page, HtmlReport.Render(Busy()).Replace("</body>", probe + "</body>", StringComparison.Ordinal));
        var run = ExternalTool.Run("chromium",
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir.File("profile"), "--hide-scrollbars",
            "--window-size=1400,900", "--dump-dom", "file://" + page,
        ]);
        var layout = Regex.Match(run.StdOut, "data-layout=\"([0-9]+)x([0-9]+) ([0-9]+)\"");
        Assert.True(layout.Success, $"chromium gave no layout (exit {run.ExitCode}): {run.StdErr}");
        var (scrollWidth, height, clientWidth) = (int.Parse(layout.Groups[1].Value), int.Parse(layout.Groups[2].Value), int.Parse(layout.Groups[3].Value));
        Assert.True(scrollWidth <= clientWidth, $"page is {scrollWidth} px wide in a {clientWidth} px window");
        Assert.True(height < 12_000, $"page is {height} px tall");
    }
}

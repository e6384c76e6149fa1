using System.Text.RegularExpressions;
using System.Xml.Linq;
using Qtz.Shell.Reports;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Shell.Tests.Reports;

public sealed class HtmlReportTests
{
    private static readonly string Html = HtmlReport.Render(ReportsFixture.Report());

    [Fact]
    public void The_page_names_every_carveout()
    {
        foreach (var carveout in ReportsFixture.Regions.Where(r => r.Kind == RegionKind.Carveout))
            Assert.Contains(">" + carveout.Name + "<", MemoryMapSvg.Render(ReportsFixture.Report()));
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        Assert.DoesNotMatch(new Regex("(src|href)\\s*=", RegexOptions.IgnoreCase), Html);
        Assert.DoesNotContain("<script", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_svg_is_well_formed_xml()
    {
        var svgs = Regex.Matches(Html, "<svg.*?</svg>", RegexOptions.Singleline);
        Assert.Equal(2, svgs.Count);
        foreach (Match svg in svgs)
        {
            var doc = XDocument.Parse(svg.Value);
            Assert.Equal("svg", doc.Root!.Name.LocalName);
        }
    }

    [Fact]
    public void Tags_of_the_page_are_balanced()
    {
        foreach (var tag in new[] { "svg", "table", "tr", "g", "h2", "html", "body" })
            Assert.Equal(Regex.Count(Html, $"<{tag}[ >]"), Regex.Count(Html, $"</{tag}>"));
    }

    [Fact]
    public void The_final_state_table_and_timeline_are_present()
    {
        Assert.Contains("<td>crashed</td>", Html);
        Assert.Contains("PIL.PAS_AUTH_AND_RESET", Html);
        Assert.Contains("watchdog bite", Html);
        Assert.Contains("SMMU adsp sid 0x3000", Html);
    }

    [Fact]
    public void A_4KiB_bridge_is_drawn_tall_enough_to_read_next_to_gibibytes_of_ram()
    {
        Assert.True(MemoryMapScale.BandHeight(0x1000) >= 12);
        Assert.True(MemoryMapScale.BandHeight(8UL << 30) < 120);
    }

    [Fact]
    public void Edges_map_to_increasing_y_and_unused_space_becomes_a_gap()
    {
        var scale = new MemoryMapScale(ReportsFixture.Regions.Select(r => (r.Base, r.End)));
        var ys = scale.Breakpoints.Select(scale.Y).ToArray();
        Assert.Equal(ys.Order(), ys);
        Assert.Equal(ys.Length, ys.Distinct().Count());
        Assert.Empty(scale.Gaps); // the fixture's RAM covers everything between its edges
        var sparse = new MemoryMapScale([(0x1000UL, (UInt128)0x2000), (0x9000_0000UL, (UInt128)0x9000_1000)]);
        Assert.Single(sparse.Gaps);
    }

    [Fact]
    public void Names_with_markup_are_escaped()
    {
        var report = ReportsFixture.Report() with { Title = "<b>&board" };
        var html = HtmlReport.Render(report);
        Assert.Contains("&lt;b&gt;&amp;board", html);
        Assert.DoesNotContain("<b>&board", html);
    }

    [RequiresToolFact("chromium")]
    public void Headless_chromium_renders_the_report_to_a_screenshot()
    {
        using var dir = new TempDirectory();
        var page = dir.File("report.html");
        HtmlReport.WriteFile(page, ReportsFixture.Report());
        var png = ReportScreenshot.Take(page, dir.File("report.png"), dir.File("profile"));
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"screenshot is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        if (Environment.GetEnvironmentVariable("QTZ_KEEP_SCREENSHOT") is { Length: > 0 } keep)
        {
            File.Copy(png, keep, overwrite: true);
            File.Copy(page, Path.ChangeExtension(keep, ".html"), overwrite: true);
        }
    }
}

/// <summary>Headless Chromium with the flags that keep it quiet in a sandbox-less container (also used by tools/report-screenshot.sh).</summary>
internal static class ReportScreenshot
{
    public static string Take(string htmlPath, string pngPath, string profileDir)
    {
        Directory.CreateDirectory(profileDir);
        var run = ExternalTool.Run("chromium",
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profileDir, "--hide-scrollbars",
            "--window-size=1400,1800", "--screenshot=" + pngPath, "file://" + htmlPath,
        ]);
        if (!File.Exists(pngPath))
            throw new InvalidOperationException($"chromium wrote no screenshot (exit {run.ExitCode}): {run.StdErr}");
        return pngPath;
    }
}

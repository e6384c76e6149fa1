using System.Text.Json;
using Qtz.Bench;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Bench;

/// <summary>One quick <c>qtz bench --json</c> run, shared by the tests that read it.</summary>
public sealed class QuickBenchJson : IDisposable
{
    public QuickBenchJson()
    {
        Result = QtzBinary.Run("bench", "--quick", "--json");
        Document = Result.ExitCode == 0 ? JsonDocument.Parse(Result.StdOut) : null;
    }

    public ExternalTool.Result Result { get; }

    public JsonDocument? Document { get; }

    public JsonElement Root => Document?.RootElement ?? throw new InvalidOperationException($"qtz bench exited {Result.ExitCode}: {Result.StdErr}");

    public void Dispose() => Document?.Dispose();
}

public class BenchCommandTests(QuickBenchJson quick) : IClassFixture<QuickBenchJson>
{
    private const string ReadmeBegin = "<!-- qtz bench --markdown: begin -->";
    private const string ReadmeEnd = "<!-- qtz bench --markdown: end -->";

    private static readonly string[] Headlines =
    [
        "fw verify v6 vs openssl dgst -sha384", "fw verify v6 vs sha384sum", "fw verify v6 --threads 2 vs openssl dgst -sha384", "fw verify v6 --threads 2 vs sha384sum",
        "fw verify v5 vs openssl dgst -sha256", "fw verify v5 vs sha256sum", "fw verify v5 --threads 2 vs openssl dgst -sha256", "fw verify v5 --threads 2 vs sha256sum",
        "boot vs verify", "boot peak RSS", "boot (no args) vs verify", "boot (no args) wall time", "dt dump vs dtc", "mtd read vs cat", "mtd write vs dd conv=notrunc",
        "iommu map rate", "iommu unmap rate", "iommu translate rate, warm TLB", "iommu translate rate, cold (every one walks)",
        "qtz --version", "dt dump one DTB vs dtc", "fw squash one split image vs pil-squasher", "fw verify one real v7 image vs openssl dgst -sha384",
        "smc round trip from the guest kernel (median)", "boot to the guest's /init", "qtz linux test storage (whole)",
        "mtd write: real posted driver vs qtz's C# driver model", "mtd read: real posted driver vs qtz's C# driver model",
    ];

    [Fact]
    public void Quick_bench_as_json_gives_every_headline_with_machine_figures_and_method()
    {
        var root = quick.Root;
        Assert.True(root.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("machine").GetProperty("loadAverage").GetString()));
        Assert.Contains("median", root.GetProperty("method").GetString(), StringComparison.Ordinal);
        Assert.Contains(root.GetProperty("peers").EnumerateArray(), p => p.GetProperty("tool").GetString() == "qtz");
        var results = root.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(Headlines, results.Select(r => r.GetProperty("name").GetString()));
        foreach (var r in results)
        {
            Assert.False(string.IsNullOrEmpty(r.GetProperty("machine").GetString()));
            Assert.False(string.IsNullOrEmpty(r.GetProperty("inputs").GetString()));
            if (r.TryGetProperty("skipped", out _)) continue; // the peer is not installed
            AssertFigure(r.GetProperty("qtz"));
            if (r.TryGetProperty("peer", out var peer))
            {
                AssertFigure(peer);
                Assert.True(r.GetProperty("ratio").GetDouble() > 0);
            }
        }
    }

    [Fact]
    public void Boot_vs_verify_is_measured_on_the_same_five_images_and_both_pass()
    {
        var boot = quick.Root.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "boot vs verify");
        Assert.False(boot.TryGetProperty("skipped", out _));
        var verify = boot.GetProperty("peer").GetProperty("command").GetString()!;
        Assert.Equal(5, verify.Split(" && ").Length);
        Assert.All(verify.Split(" && "), v => Assert.Contains("--pas-id", v, StringComparison.Ordinal));
        Assert.Contains("'boot' '--firmware'", boot.GetProperty("qtz").GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, boot.GetProperty("qtz").GetProperty("exitCode").GetInt32());
        Assert.Equal(0, boot.GetProperty("peer").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void Readme_performance_table_has_the_columns_and_rows_qtz_bench_markdown_prints()
    {
        var result = QtzBinary.Run("bench", "--quick", "--markdown");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains(BenchTable.Header, result.StdOut, StringComparison.Ordinal);
        var readme = File.ReadAllText(TestPaths.InRepository("README.md"));
        var begin = readme.IndexOf(ReadmeBegin, StringComparison.Ordinal);
        var end = readme.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md has no '{ReadmeBegin}' … '{ReadmeEnd}' block (paste `qtz bench --markdown` output there)");
        var table = readme[begin..end];
        Assert.Contains(BenchTable.Header, table, StringComparison.Ordinal);
        Assert.Equal(BenchTable.RowNames(result.StdOut), BenchTable.RowNames(table));
    }

    private static void AssertFigure(JsonElement figure)
    {
        var median = figure.GetProperty("seconds").GetDouble();
        Assert.True(median > 0);
        Assert.True(figure.GetProperty("minSeconds").GetDouble() <= median && median <= figure.GetProperty("maxSeconds").GetDouble());
        Assert.Equal(figure.GetProperty("runs").GetInt32(), figure.GetProperty("samples").GetArrayLength());
        Assert.True(figure.GetProperty("exitCode").GetInt32() == 0, figure.GetProperty("command").GetString());
    }
}

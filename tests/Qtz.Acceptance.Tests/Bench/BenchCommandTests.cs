using System.Text.Json;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Bench;

public class BenchCommandTests
{
    [Fact]
    public void Quick_bench_as_json_gives_every_headline_with_machine_and_figures()
    {
        var result = QtzBinary.Run("bench", "--quick", "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var doc = JsonDocument.Parse(result.StdOut);
        Assert.True(doc.RootElement.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToArray();
        var names = results.Select(r => r.GetProperty("name").GetString()).ToArray();
        foreach (var expected in new[] { "fw verify vs sha384sum", "dt dump vs dtc", "mtd read vs cat", "mtd write vs dd conv=notrunc", "iommu map rate", "iommu translate rate", "boot vs verify" })
            Assert.Contains(expected, names);
        foreach (var r in results)
        {
            Assert.False(string.IsNullOrEmpty(r.GetProperty("machine").GetString()));
            Assert.False(string.IsNullOrEmpty(r.GetProperty("inputs").GetString()));
            if (r.TryGetProperty("skipped", out _)) continue; // peer not installed, or needs the board
            var qtz = r.GetProperty("qtz");
            Assert.True(qtz.GetProperty("seconds").GetDouble() > 0);
            Assert.Equal(0, qtz.GetProperty("exitCode").GetInt32());
            if (r.TryGetProperty("peer", out var peer))
            {
                Assert.True(peer.GetProperty("seconds").GetDouble() > 0);
                Assert.True(r.GetProperty("ratio").GetDouble() > 0);
            }
        }
    }
}

using Qtz.Fuzzing;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Fuzzing.Tests;

/// <summary>Every registered target runs briefly and finds nothing; QTZ_LONG=1 runs a million inputs each.</summary>
public class FuzzTargetTests
{
    [Theory]
    [InlineData("rsctable", 3000)]
    [InlineData("dtb", 3000)]
    [InlineData("overlay", 2000)]
    [InlineData("storage", 2000)]
    [InlineData("elf", 2000)]
    [InlineData("smc", 600)]
    public void A_short_campaign_finds_no_failures(string name, int iterations)
    {
        var report = Campaign(name, iterations, seed: 1);
        Assert.True(report.Passed, Describe(report));
        Assert.Equal(iterations, report.Iterations);
        // parser mutants reach both the error paths and the happy path; storage never "rejects" (nothing may escape TZ)
        if (name is not ("storage" or "smc")) Assert.InRange(report.Rejected, 1, iterations - 1);
    }

    [LongRunFact]
    public void A_million_inputs_per_target_find_no_failures()
    {
        foreach (var name in FuzzTargetRegistry.CreateDefault().Names)
        {
            var report = Campaign(name, 1_000_000, seed: 11);
            Assert.True(report.Passed, Describe(report));
            Assert.Equal(1_000_000, report.Iterations);
        }
    }

    [Fact]
    public void The_same_seed_runs_the_same_campaign()
    {
        var first = Campaign("dtb", 1500, seed: 5);
        var second = Campaign("dtb", 1500, seed: 5);
        Assert.Equal((first.Generated, first.Rejected, first.CorpusSize), (second.Generated, second.Rejected, second.CorpusSize));
    }

    [Fact]
    public void Unknown_target_names_list_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => FuzzTargetRegistry.CreateDefault().Create("nosuch", FuzzTargetContext.Default));
        Assert.Contains("dtb, elf, overlay, rsctable, smc, storage", e.Message, StringComparison.Ordinal);
    }

    internal static FuzzReport Campaign(string name, long iterations, int seed)
    {
        var target = FuzzTargetRegistry.CreateDefault().Create(name, FuzzTargetContext.Default);
        try
        {
            return FuzzEngine.Run(target, new FuzzOptions { Iterations = iterations, Seed = seed, InputBudget = TimeSpan.FromSeconds(30) });
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    internal static string Describe(FuzzReport report) =>
        string.Join("\n", report.Failures.Select(f => $"{f.Signature}: {f.Message}\n{Convert.ToHexString(f.Reproducer)}"));
}

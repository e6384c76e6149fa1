using System.Text;
using System.Text.Json;
using Qtz.Cli.Commands;
using Qtz.Fuzzing;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Fuzz;

public class FuzzCommandTests
{
    [Fact]
    public void Fuzzing_rsctable_for_2000_iterations_exits_0_with_the_counts()
    {
        var result = QtzBinary.Run("fuzz", "rsctable", "--iterations", "2000", "--seed", "1");
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("fuzz rsctable: 2000 iterations", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("unique failures: 0", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_carries_iterations_rate_and_failures()
    {
        var result = QtzBinary.Run("fuzz", "dtb", "--iterations", "500", "--seed", "2", "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.StdOut);
        Assert.Equal(500, doc.RootElement.GetProperty("iterations").GetInt64());
        Assert.True(doc.RootElement.GetProperty("execsPerSecond").GetDouble() > 0);
        Assert.Equal(0, doc.RootElement.GetProperty("uniqueFailures").GetInt32());
    }

    [Fact]
    public void Two_threads_with_the_same_seed_give_the_same_campaign()
    {
        string[] args = ["fuzz", "dtb", "--iterations", "600", "--seed", "4", "--threads", "2", "--json"];
        var first = QtzBinary.Run(args);
        var second = QtzBinary.Run(args);
        Assert.True(first.ExitCode == 0, first.StdOut + first.StdErr);
        using var a = JsonDocument.Parse(first.StdOut);
        using var b = JsonDocument.Parse(second.StdOut);
        foreach (var field in new[] { "iterations", "generated", "rejected", "corpus", "threads" })
            Assert.Equal(a.RootElement.GetProperty(field).GetInt64(), b.RootElement.GetProperty(field).GetInt64());
        Assert.Equal(2, a.RootElement.GetProperty("threads").GetInt32());
    }

    [Fact]
    public void An_unknown_target_is_a_usage_error()
    {
        var result = QtzBinary.Run("fuzz", "nosuch");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("rsctable", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_injected_failing_target_gives_exit_1_and_a_minimised_reproducer()
    {
        using var dir = new TempDirectory();
        var registry = FuzzTargetRegistry.CreateDefault();
        registry.Add("injected", "test-only: fails on inputs containing CRASH", _ => new InjectedTarget());
        var exit = FuzzCommand.Run(registry, new FuzzRequest("injected", 300, 1, 1, null, TimeSpan.FromSeconds(5), dir.Path, [], null, Json: false));
        Assert.Equal(1, exit);
        var reproducer = Assert.Single(Directory.GetFiles(dir.Path, "*.bin"));
        Assert.Equal("CRASH", File.ReadAllText(reproducer));

        var replay = FuzzCommand.Run(registry, new FuzzRequest("injected", 0, 1, 1, null, TimeSpan.FromSeconds(5), null, [], reproducer, Json: false));
        Assert.Equal(1, replay);
    }

    private sealed class InjectedTarget : FuzzTarget
    {
        public override string Name => "injected";

        public override string Description => "fails on CRASH";

        public override IReadOnlyList<byte[]> Seeds(Random random) => [Encoding.ASCII.GetBytes(new string('-', 300) + "CRASH" + new string('-', 300))];

        public override void Execute(byte[] input)
        {
            if (input.AsSpan().IndexOf("CRASH"u8) >= 0) throw new InvalidOperationException("injected failure");
        }
    }
}

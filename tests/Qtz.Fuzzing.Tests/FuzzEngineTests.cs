using System.Text;
using Qtz.Fuzzing;
using Xunit;

namespace Qtz.Fuzzing.Tests;

public class FuzzEngineTests
{
    [Fact]
    public void A_crash_is_found_grouped_and_shrunk_to_its_trigger()
    {
        var report = FuzzEngine.Run(new BugTarget(), new FuzzOptions { Iterations = 200, Seed = 3 });
        var failure = Assert.Single(report.Failures);
        Assert.Equal(FuzzFailureKind.Crash, failure.Kind);
        Assert.StartsWith("InvalidOperationException at BugTarget.Execute", failure.Signature, StringComparison.Ordinal);
        Assert.Equal("BUG"u8.ToArray(), failure.Reproducer);
        Assert.True(failure.Hits > 1);
    }

    [Fact]
    public void A_runtime_argument_exception_is_a_failure_but_our_own_is_a_rejection()
    {
        var target = new SliceTarget();
        Assert.Null(FuzzEngine.Replay(target, [1]));
        var failure = FuzzEngine.Replay(target, [2]);
        Assert.NotNull(failure);
        Assert.Equal(FuzzFailureKind.Crash, failure.Kind);
    }

    [Fact]
    public void An_input_over_the_budget_is_reported_as_a_hang()
    {
        var report = FuzzEngine.Run(new SlowTarget(), new FuzzOptions { Iterations = 3, InputBudget = TimeSpan.FromMilliseconds(20) });
        var failure = Assert.Single(report.Failures);
        Assert.Equal(FuzzFailureKind.Hang, failure.Kind);
    }

    [Fact]
    public void A_broken_invariant_is_grouped_by_its_name()
    {
        var failure = FuzzEngine.Replay(new InvariantTarget(), [0]);
        Assert.NotNull(failure);
        Assert.Equal(("invariant always-false", FuzzFailureKind.Invariant), (failure.Signature, failure.Kind));
    }

    [Fact]
    public void Reproducers_are_written_with_a_note()
    {
        using var dir = new Qtz.TestSupport.TempDirectory();
        var report = FuzzEngine.Run(new BugTarget(), new FuzzOptions { Iterations = 50, Seed = 3, OutputDirectory = dir.Path });
        var path = Assert.Single(report.Failures).ReproducerPath!;
        Assert.Equal("BUG", File.ReadAllText(path));
        Assert.Contains("signature:", File.ReadAllText(Path.ChangeExtension(path, ".txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void One_worker_from_a_factory_runs_the_same_campaign_as_the_single_loop()
    {
        var single = FuzzEngine.Run(new BugTarget(), new FuzzOptions { Iterations = 300, Seed = 7 });
        var factory = FuzzEngine.Run(() => new BugTarget(), new FuzzOptions { Iterations = 300, Seed = 7 });
        Assert.Equal(Summary(single), Summary(factory));
    }

    [Fact]
    public void Workers_share_the_iterations_and_a_seed_gives_the_same_findings_every_run()
    {
        var options = new FuzzOptions { Iterations = 401, Seed = 7, Threads = 3 };
        var first = FuzzEngine.Run(() => new BugTarget(), options);
        var second = FuzzEngine.Run(() => new BugTarget(), options);
        Assert.Equal(401, first.Iterations);
        Assert.Equal(3, first.Threads);
        Assert.Equal(Summary(first), Summary(second));
        var failure = Assert.Single(first.Failures);
        Assert.Equal("BUG"u8.ToArray(), failure.Reproducer);
    }

    [Fact]
    public void Several_threads_need_a_target_factory()
    {
        Assert.Throws<ArgumentException>(() => FuzzEngine.Run(new BugTarget(), new FuzzOptions { Iterations = 1, Threads = 2 }));
    }

    [Fact]
    public void Ddmin_keeps_only_the_bytes_the_failure_needs()
    {
        var input = Encoding.ASCII.GetBytes("xxxxxxxxAxxxxxxxxxxBxxxxxxxx");
        var minimal = InputMinimizer.Minimize(input, c => c.Contains((byte)'A') && c.Contains((byte)'B'), 10_000);
        Assert.Equal(2, minimal.Length);
    }

    [Fact]
    public void The_mutator_is_deterministic_for_a_seed()
    {
        var mutator = new FuzzMutator(FuzzByteOrder.BigEndian, 4096);
        byte[] seed = [.. Enumerable.Range(0, 64).Select(i => (byte)i)];
        var a = Enumerable.Range(0, 100).Select(_ => 0).Aggregate((Random: new Random(9), Out: new List<byte[]>()), (s, _) => { s.Out.Add(mutator.Mutate(seed, seed, s.Random)); return s; }).Out;
        var b = Enumerable.Range(0, 100).Select(_ => 0).Aggregate((Random: new Random(9), Out: new List<byte[]>()), (s, _) => { s.Out.Add(mutator.Mutate(seed, seed, s.Random)); return s; }).Out;
        Assert.Equal(a, b);
    }

    private static string Summary(FuzzReport r) =>
        $"{r.Iterations} {r.Generated} {r.Rejected} {r.CorpusSize} " + string.Join(";", r.Failures.Select(f => $"{f.Signature}@{f.FirstIteration}x{f.Hits}:{Convert.ToHexString(f.Reproducer)}"));

    private sealed class BugTarget : FuzzTarget
    {
        public override string Name => "bug";

        public override string Description => "fails on inputs containing BUG";

        public override IReadOnlyList<byte[]> Seeds(Random random) => [Encoding.ASCII.GetBytes(new string('.', 100) + "BUG" + new string('.', 100))];

        public override void Execute(byte[] input)
        {
            if (input.AsSpan().IndexOf("BUG"u8) >= 0) throw new InvalidOperationException("found the bug");
        }
    }

    private sealed class SliceTarget : FuzzTarget
    {
        public override string Name => "slice";

        public override string Description => "own ArgumentException for 1, runtime's for 2";

        public override IReadOnlyList<byte[]> Seeds(Random random) => [[1]];

        public override void Execute(byte[] input)
        {
            if (input[0] == 1) throw new ArgumentException("bad value");
            _ = input.AsSpan(5, 10).ToArray();
        }
    }

    private sealed class SlowTarget : FuzzTarget
    {
        public override string Name => "slow";

        public override string Description => "takes 100 ms";

        public override IReadOnlyList<byte[]> Seeds(Random random) => [[0]];

        public override void Execute(byte[] input) => Thread.Sleep(100);
    }

    private sealed class InvariantTarget : FuzzTarget
    {
        public override string Name => "invariant";

        public override string Description => "breaks its invariant";

        public override IReadOnlyList<byte[]> Seeds(Random random) => [[0]];

        public override void Execute(byte[] input) => FuzzInvariantException.Check(false, "always-false", () => "never holds");
    }
}

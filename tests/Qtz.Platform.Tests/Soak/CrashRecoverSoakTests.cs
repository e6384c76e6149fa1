using System.Diagnostics;
using Qtz.Platform.Boards;
using Qtz.Shell;
using Qtz.Platform.Tests.Soak;
using Qtz.TestSupport;
using Xunit;
using Xunit.Abstractions;
using Qtz.Secure.Hypervisor;

namespace Qtz.Platform.Tests.Soak;

/// <summary>
/// Issue 9 item 3, first half: crash/recover cycles round robin over the five DSPs with every crash kind
/// the board supports, recovery on. After every cycle the DSP is running with exactly the SMMU mappings
/// of a clean boot; every <c>checkEvery</c> cycles and at the end the board's resources — touched RAM
/// included: a reload writes the same pages again — equal the baseline taken after boot and the board
/// invariants hold. Coredumps are enabled: every recovered crash must leave one dump of the stopped
/// image, which the cycle reads (freeing it); a stop/start leaves none.
/// </summary>
public sealed class CrashRecoverSoakTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(KernelMode.Qhee)]
    [InlineData(KernelMode.Kvm)]
    public void Three_hundred_crash_recover_cycles_leave_every_resource_and_mapping_as_after_boot(KernelMode mode) =>
        Soak(mode, cycles: 300, checkEvery: 25);

    /// <summary>Other SoCs: one with DTB images and a modem (region assign, decrypt shutdown), one with DTB images and lite ids, one classic.</summary>
    [Theory]
    [InlineData("sm8550-hdk.dtb")]
    [InlineData("x1e80100-crd.dtb")]
    [InlineData("qrb5165-rb5.dtb")]
    public void Crash_recover_cycles_on_other_socs_leave_every_resource_and_mapping_as_after_boot(string dtb)
    {
        var path = Path.Combine(TestPaths.SharedDtbDirectory, dtb);
        if (!File.Exists(path))
        {
            output.WriteLine($"skipped: {path} not found (shared test data absent)");
            return;
        }

        Soak(KernelMode.Qhee, cycles: 90, checkEvery: 15, new NamedBlob(dtb, File.ReadAllBytes(path)));
    }

    [LongRunFact]
    public void Ten_thousand_crash_recover_cycles_under_qhee_leak_nothing() => Soak(KernelMode.Qhee, cycles: 10_000, checkEvery: 250);

    [LongRunFact]
    public void Ten_thousand_crash_recover_cycles_as_kvm_host_leak_nothing() => Soak(KernelMode.Kvm, cycles: 10_000, checkEvery: 250);

    private void Soak(KernelMode mode, int cycles, int checkEvery, NamedBlob? dtb = null)
    {
        var wall = Stopwatch.StartNew();
        var board = Board.Build(new BoardOptions { Mode = mode, TraceCapacity = 4096, Dtb = dtb });
        var report = board.Boot();
        Assert.True(report.AllRunning, string.Join("; ", report.Remoteprocs.Select(r => $"{r.Name} {r.State} {r.Failure}")));
        var baseline = BoardResources.Of(board);
        var target = new BoardShellTarget(board);
        var clean = board.Remoteprocs.ToDictionary(r => r.Name, r => target.SmmuMappings(r.Name));
        var churn = new RemoteprocChurn(board);
        foreach (var r in board.Remoteprocs) board.Driver(r.Name)!.Rproc.CoredumpMode = Kernel.Remoteproc.RprocCoredumpMode.Enabled;
        var dumps = 0;
        var kinds = churn.CrashKinds;
        var perKind = kinds.ToDictionary(k => k, _ => 0);
        var n = board.Remoteprocs.Count;
        var virtualStart = board.Clock.Now;
        var checks = 0;
        for (var i = 0; i < cycles; i++)
        {
            var r = board.Remoteprocs[i % n];
            var kind = kinds[i / n % kinds.Count];
            var failure = churn.Cycle(r, kind);
            Assert.True(failure is null, $"cycle {i}: {failure}");
            perKind[kind]++;
            var dump = board.Driver(r.Name)!.Rproc.TakeCoredump();
            if (kind is ChurnKind.Hang or ChurnKind.StopStart)
            {
                Assert.True(dump is null, $"cycle {i}: a {kind} cycle is no recovery, yet left a coredump");
            }
            else
            {
                Assert.True(dump is not null, $"cycle {i}: the {kind} recovery left no coredump");
                Assert.Equal(board.Driver(r.Name)!.Rproc.DumpSegments.Count, dump.Segments.Count);
                Assert.True(dump.Segments.Any(s => s.Bytes.Span.IndexOfAnyExcept((byte)0, (byte)0xFF) >= 0), $"cycle {i}: {r.Name}'s coredump holds no image bytes");
                dumps++;
            }

            Assert.Equal(clean[r.Name], target.SmmuMappings(r.Name));
            if ((i + 1) % checkEvery == 0 || i == cycles - 1)
            {
                AssertAsAfterBoot(board, baseline, $"after {i + 1} cycles");
                checks++;
            }
        }

        output.WriteLine($"{mode}: {cycles} crash/recover cycles over {n} DSPs ({string.Join(", ", perKind.Select(p => $"{p.Key} {p.Value}"))}), " +
            $"{checks} resource checks, {dumps} coredumps read, 0 failures; {wall.Elapsed.TotalSeconds:0.0} s wall, {(board.Clock.Now - virtualStart).TotalSeconds:0.0} s virtual");
        output.WriteLine($"resources: {BoardResources.Of(board)}");
    }

    private static void AssertAsAfterBoot(Board board, BoardResources baseline, string when)
    {
        var diff = baseline.Diff(BoardResources.Of(board), includeTouchedRam: true);
        Assert.True(diff.Count == 0, $"{when}: resources moved from the baseline after boot: {string.Join("; ", diff)}");
        var violations = BoardInvariants.Check(board);
        Assert.True(violations.Count == 0, $"{when}: {string.Join("; ", violations)}");
    }
}

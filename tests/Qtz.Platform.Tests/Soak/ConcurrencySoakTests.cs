using Qtz.Platform.Boards;
using Qtz.Shell;
using Qtz.Platform.Tests.Soak;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Qtz.TestSupport;
using Xunit;
using Xunit.Abstractions;
using Qtz.Secure.Hypervisor;

namespace Qtz.Platform.Tests.Soak;

/// <summary>
/// Issue 9 item 4: four threads of seeded MTD I/O (each its own region) and a fifth churning the
/// remote processors, on one board with both the DSPs and the SPI-NOR behind TrustZone. Afterwards
/// the flash equals a serial replay of the same request logs on a fresh board, every request returned
/// what it returns in the replay, the DSPs run with a clean boot's mappings, resources are back to the
/// baseline after boot and the board invariants hold.
/// </summary>
public sealed class ConcurrencySoakTests(ITestOutputHelper output)
{
    private const int FlashSize = 1 << 20;

    [Theory]
    [InlineData(KernelMode.Qhee, TzWriteSemantics.Program)]
    [InlineData(KernelMode.Kvm, TzWriteSemantics.EraseProgram)]
    public void Four_mtd_threads_and_a_churning_fifth_end_as_a_serial_replay_of_the_same_logs(KernelMode mode, TzWriteSemantics semantics) =>
        Run(mode, semantics, new ConcurrentSoakOptions { RequestsPerThread = 1500, WallLimit = TimeSpan.FromSeconds(20), VirtualLimit = TimeSpan.FromMinutes(30) });

    [LongRunFact]
    public void Long_concurrent_run_under_qhee() =>
        Run(KernelMode.Qhee, TzWriteSemantics.EraseProgram, new ConcurrentSoakOptions { RequestsPerThread = 50_000, WallLimit = TimeSpan.FromMinutes(3), VirtualLimit = TimeSpan.FromDays(2) });

    [LongRunFact]
    public void Long_concurrent_run_as_kvm_host() =>
        Run(KernelMode.Kvm, TzWriteSemantics.Program, new ConcurrentSoakOptions { RequestsPerThread = 50_000, WallLimit = TimeSpan.FromMinutes(3), VirtualLimit = TimeSpan.FromDays(2), Seed = 90 });

    private void Run(KernelMode mode, TzWriteSemantics semantics, ConcurrentSoakOptions limits)
    {
        var initial = new byte[FlashSize];
        new Random(limits.Seed).NextBytes(initial);
        using var board = Build(mode, semantics, initial, out var storage);
        var report = board.Boot();
        Assert.True(report.AllRunning, string.Join("; ", report.Remoteprocs.Select(r => $"{r.Name} {r.State} {r.Failure}")));
        Assert.True(board.Flash!.ProbeResult == 0, string.Join("; ", board.Flash.Mtd.Log));
        var baseline = BoardResources.Of(board);
        var target = new BoardShellTarget(board);
        var clean = target.SmmuMappings(null);

        var run = ConcurrentSoak.Run(board, limits);
        output.WriteLine($"{mode}/{semantics}: {run.Requests} MTD requests on {run.Workloads.Count} threads ({string.Join(", ", run.Workloads.Select(w => w.Log.Count))}) " +
            $"and {run.ChurnCycles} remoteproc churn cycles; stopped by {run.StoppedBy}; {run.Wall.TotalSeconds:0.0} s wall, {run.Virtual.TotalSeconds:0.0} s virtual; {run.Failures.Count} failures");
        Assert.True(run.Failures.Count == 0, string.Join("\n", run.Failures));
        Assert.True(run.ChurnCycles > 0, "the churn thread never ran a cycle");

        Assert.All(board.Remoteprocs, r => Assert.Equal("running", board.Driver(r.Name)!.Rproc.StateName));
        Assert.Equal(clean, target.SmmuMappings(null));
        var diff = baseline.Diff(BoardResources.Of(board));
        Assert.True(diff.Count == 0, "resources moved from the baseline after boot: " + string.Join("; ", diff));
        BoardInvariants.Assert(board);

        using var replay = Build(mode, semantics, initial, out var replayed);
        foreach (var workload in run.Workloads)
        {
            var mismatch = workload.ReplayOn(replay.Flash!.Driver!.Mtd);
            Assert.True(mismatch is null, mismatch);
        }

        Assert.True(storage.Contents.SequenceEqual(replayed.Contents), "the flash differs from the serial replay's");
    }

    private static Board Build(KernelMode mode, TzWriteSemantics semantics, byte[] initial, out MemoryNorStorage storage)
    {
        storage = new MemoryNorStorage((byte[])initial.Clone());
        return Board.Build(new BoardOptions
        {
            Mode = mode,
            TraceCapacity = 4096,
            Flash = new StorageFlash(NorPartTable.ForSize(FlashSize), storage),
            FlashOptions = new TzStorageOptions { AllowWrite = true, WriteSemantics = semantics, TzAllowsEl2 = mode == KernelMode.Kvm },
        });
    }
}

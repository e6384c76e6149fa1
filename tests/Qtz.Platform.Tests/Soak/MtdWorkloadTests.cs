using Qtz.Platform.Tests.Soak;
using Qtz.Platform.Storage;
using Qtz.Soc.Nor;
using Xunit;

namespace Qtz.Platform.Tests.Soak;

/// <summary>The concurrency soak's serial replay must itself tell equal runs from different ones.</summary>
public sealed class MtdWorkloadTests
{
    private const int Size = 256 << 10;

    [Fact]
    public void A_workload_replayed_on_an_identical_board_returns_the_same_results()
    {
        var workload = Run(seed: 4, contentSeed: 1);
        using var same = Board(contentSeed: 1);
        Assert.Null(workload.ReplayOn(same.Mtd.Devices[0]));
    }

    [Fact]
    public void A_workload_replayed_on_a_board_holding_other_bytes_names_the_first_read_that_differs()
    {
        var workload = Run(seed: 4, contentSeed: 1);
        using var other = Board(contentSeed: 2);
        var mismatch = workload.ReplayOn(other.Mtd.Devices[0]);
        Assert.NotNull(mismatch);
        Assert.Contains("read", mismatch, StringComparison.Ordinal);
    }

    private static MtdWorkload Run(int seed, int contentSeed)
    {
        using var board = Board(contentSeed);
        var workload = new MtdWorkload(seed, 0, Size, 4096, 8192);
        for (var i = 0; i < 50; i++) workload.RunNext(board.Mtd.Devices[0]);
        Assert.Contains(workload.Log, e => e.Kind == MtdOpKind.Read && e.ReadDigest is not null);
        return workload;
    }

    private static StorageBoard Board(int contentSeed)
    {
        var bytes = new byte[Size];
        new Random(contentSeed).NextBytes(bytes);
        return new StorageBoard(new StorageFlash(NorPartTable.ForSize(Size), new MemoryNorStorage(bytes)), new StorageBoardOptions { AllowWrite = true });
    }
}

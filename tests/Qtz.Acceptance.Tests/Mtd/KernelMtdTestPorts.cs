using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Soc.Nor;
using Xunit;
using Qtz.Kernel.Mtd.SelfTests;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Acceptance.Tests.Mtd;

/// <summary>The drivers/mtd/tests checks (spec/mtd.md §4) on the SCM storage MTD, whole stack.</summary>
public sealed class KernelMtdTestPorts
{
    private static StorageBoard Board(bool allowWrite = true, ulong size = 1 << 20) =>
        StorageBoard.InMemory(NorPartTable.ForSize(size), new StorageBoardOptions { AllowWrite = allowWrite });

    private static MtdTestContext Context(StorageBoard board, string test) =>
        new(board.Mtd.Devices[0], test, () => board.Clock.Now.SinceBoot);

    [Fact]
    public void Readtest_reads_every_page_without_errors()
    {
        using var board = Board(allowWrite: false);
        var result = MtdKernelTests.ReadTest(Context(board, "readtest"));
        Assert.True(result.Passed);
        Assert.Contains("mtd_readtest: MTD device size 1048576, eraseblock size 4096, page size 4096, count of eraseblocks 256, pages per eraseblock 1, OOB size 0", result.Lines);
        Assert.Contains("mtd_readtest: finished", result.Lines);
        Assert.Equal(new string('=', 49), result.Lines[^1]);
    }

    [Fact]
    public void Speedtest_reports_every_figure_by_the_kernel_formula()
    {
        using var board = Board();
        var report = new List<string>();
        var result = MtdKernelTests.SpeedTest(Context(board, "speedtest"), new Random(1), report.Add);
        Assert.True(result.Passed);
        foreach (var what in new[] { "eraseblock write speed", "eraseblock read speed", "page write speed", "2 page read speed", "erase speed", "64x multi-block erase speed" })
            Assert.Contains(result.Lines, l => l.StartsWith($"mtd_speedtest: {what} is ", StringComparison.Ordinal) && l.EndsWith(" KiB/s", StringComparison.Ordinal));
        // 256 sector erases of 45 ms (virtual): 1024 KiB / 11.52 s = 88 KiB/s
        Assert.Contains("mtd_speedtest: erase speed is 88 KiB/s", result.Lines);
        Assert.Contains(report, l => l.Contains("MiB/s virtual", StringComparison.Ordinal) && l.Contains("MiB/s wall-clock", StringComparison.Ordinal));
    }

    [Fact]
    public void Stresstest_runs_its_random_operations_without_errors()
    {
        using var board = Board();
        var result = MtdKernelTests.StressTest(Context(board, "stresstest"), new Random(7), 3000);
        Assert.True(result.Passed);
        Assert.Contains("mtd_stresstest: 2048 operations done", result.Lines);
    }

    [Fact]
    public void Stresstest_needs_two_eraseblocks()
    {
        using var board = StorageBoard.InMemory(new NorGeometry("one", 0xEF, 0x4000, 65536, sectorSize: 65536), new StorageBoardOptions { AllowWrite = true });
        Assert.Equal(-ENOSPC, MtdKernelTests.StressTest(Context(board, "stresstest"), new Random(1), 10).Return);
    }

    [Fact]
    public void Torturetest_cycles_the_55_AA_patterns_and_checks_the_erased_state()
    {
        using var board = Board();
        var result = MtdKernelTests.TortureTest(Context(board, "torturetest"), cycles: 8, granularity: 4);
        Assert.True(result.Passed, string.Join("\n", result.Lines));
        Assert.Contains(result.Lines, l => l.StartsWith("mtd_torturetest: 00000004 erase cycles done, took ", StringComparison.Ordinal));
        Assert.Contains("mtd_torturetest: finished after 8 erase cycles", result.Lines);
    }

    [Fact]
    public void The_NAND_only_tests_say_so_and_succeed()
    {
        using var board = Board();
        var result = MtdKernelTests.RequiresNand(Context(board, "pagetest"));
        Assert.True(result.Passed);
        Assert.Contains("mtd_pagetest: this test requires NAND flash", result.Lines);
    }

    [Fact]
    public void Oobtest_negative_cases_in_NOR_form_fail_as_they_must()
    {
        using var board = Board();
        var mtd = board.Mtd.Devices[0];
        Assert.Equal(-EINVAL, MtdCore.Read(mtd, (long)mtd.Size - 1, new byte[2], out _));
        Assert.Equal(-EINVAL, MtdCore.Write(mtd, (long)mtd.Size, new byte[1], out _));
        using var readOnly = Board(allowWrite: false);
        Assert.Equal(-EROFS, MtdCore.Write(readOnly.Mtd.Devices[0], 0, new byte[1], out _));
        Assert.Equal(-EROFS, MtdCore.Erase(readOnly.Mtd.Devices[0], new EraseInfo(0, 4096)));
    }

    [Fact]
    public void Ecc_stats_stay_zero_and_reads_never_report_bitflips()
    {
        using var board = Board();
        var mtd = board.Mtd.Devices[0];
        Assert.Equal(0, MtdCore.Read(mtd, 0, new byte[8192], out _));
        Assert.Equal(default, mtd.EccStats);
    }
}

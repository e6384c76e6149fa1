using Qtz.Platform.Boards;
using Qtz.Shell;
using Qtz.Shell.Reports;
using Xunit;

namespace Qtz.Shell.Tests;

/// <summary>Linux's defaults at probe: recovery on (recovery_disabled false), coredump disabled.</summary>
public sealed class BoardRecoveryDefaultTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void A_watchdog_crash_on_the_default_board_recovers_within_ten_virtual_seconds_with_no_setting_changed()
    {
        using var board = Board.Build();
        board.Boot();
        var target = new BoardShellTarget(board);
        Assert.All(board.Remoteprocs, r => Assert.True(board.Driver(r.Name)!.Rproc.RecoveryEnabled, r.Name));
        Assert.All(board.Remoteprocs, r => Assert.Equal(Kernel.Remoteproc.RprocCoredumpMode.Disabled, board.Driver(r.Name)!.Rproc.CoredumpMode));

        var crashedAt = board.Clock.Now;
        target.Crash("adsp", CrashKind.Watchdog);
        var waited = TimeSpan.Zero;
        while (Status(target).State != RprocState.Running && waited < TimeSpan.FromSeconds(10))
        {
            target.Advance(Step);
            waited += Step;
        }

        Assert.Equal(RprocState.Running, Status(target).State);
        Assert.Equal(1, Status(target).Crashes);
        Assert.True(board.Clock.Now - crashedAt <= TimeSpan.FromSeconds(10), $"recovered after {board.Clock.Now - crashedAt}");
        Assert.Null(board.Driver("adsp")!.Rproc.PendingCoredump);
    }

    [Fact]
    public void With_recovery_disabled_a_watchdog_crash_leaves_the_DSP_crashed()
    {
        using var board = Board.Build(new BoardOptions { RecoveryDisabled = true });
        board.Boot();
        var target = new BoardShellTarget(board);
        target.Crash("adsp", CrashKind.Watchdog);
        target.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(RprocState.Crashed, Status(target).State);
    }

    private static RemoteprocStatus Status(BoardShellTarget target) => target.Remoteprocs.Single(r => r.Name == "adsp");
}

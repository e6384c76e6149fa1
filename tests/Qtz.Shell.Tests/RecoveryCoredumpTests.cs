using Qtz.Firmware.Elf;
using Qtz.Firmware.Elf.Core;
using Qtz.Platform.Boards;
using Qtz.Shell;
using Qtz.Soc;
using Qtz.Shell.Reports;
using Xunit;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Scm;
using Qtz.Soc.Bus;

namespace Qtz.Shell.Tests;

/// <summary>Recovery's coredump on the whole board: TZ hands the carveout back at SHUTDOWN, Linux dumps it, the shell writes it.</summary>
public sealed class RecoveryCoredumpTests
{
    private static (Board Board, BoardShellTarget Target) Crashed(KernelMode mode, bool scrub)
    {
        var board = Board.Build(new BoardOptions { Mode = mode, ScrubCarveoutOnShutdown = scrub });
        board.Boot();
        var target = new BoardShellTarget(board);
        target.SetRecovery("adsp", true);
        target.SetCoredump("adsp", true);
        board.Clock.Advance(TimeSpan.FromSeconds(1));
        target.Crash("adsp", CrashKind.Fatal);
        target.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(RprocState.Running, target.Remoteprocs.Single(r => r.Name == "adsp").State);
        return (board, target);
    }

    [Theory]
    [InlineData(KernelMode.Qhee)]
    [InlineData(KernelMode.Kvm)]
    public void A_crash_with_coredump_enabled_leaves_a_dump_of_the_image_as_it_ran_and_reading_it_frees_it(KernelMode mode)
    {
        var (board, target) = Crashed(mode, scrub: false);
        var rproc = board.Driver("adsp")!.Rproc;
        Assert.NotNull(target.Remoteprocs.Single(r => r.Name == "adsp").PendingCoredump);

        var dump = target.CoreDump("adsp");
        Assert.StartsWith("recovery dump at ", dump.Origin, StringComparison.Ordinal);
        Assert.Contains("fatal", dump.Origin, StringComparison.Ordinal);
        Assert.Null(rproc.PendingCoredump);
        // The same image was reloaded into the same carveout: the dump must equal it byte for byte.
        var carveout = board.Remoteproc("adsp").Carveout;
        var relocation = dump.Segments.Min(s => s.DeviceAddress);
        foreach (var s in dump.Segments)
        {
            var now = new byte[s.Data.Length];
            Assert.Equal(BusStatus.Ok, board.Bus.Read(BusMaster.SecureWorld, carveout.Base + (s.DeviceAddress - relocation), now));
            Assert.Equal(now, s.Data.ToArray());
        }

        Assert.Contains(dump.Segments, s => s.Data.Span.IndexOfAnyExcept((byte)0, (byte)0xFF) >= 0);
        using var core = new MemoryStream();
        CoreDumpWriter.Write(core, dump.Format, dump.Segments);
        var elf = ElfFile.Parse(core.ToArray());
        Assert.Equal(dump.Segments.Count, elf.ProgramHeaders.Count(p => p.IsLoad));
        Assert.Equal("segments as they are now", target.CoreDump("adsp").Origin);
    }

    [Fact]
    public void A_TZ_that_scrubs_at_shutdown_leaves_recovery_only_zeros_to_dump()
    {
        var (_, target) = Crashed(KernelMode.Qhee, scrub: true);
        var dump = target.CoreDump("adsp");
        Assert.StartsWith("recovery dump at ", dump.Origin, StringComparison.Ordinal);
        Assert.All(dump.Segments, s => Assert.True(s.Data.Span.IndexOfAnyExcept((byte)0) < 0));
    }

    [Fact]
    public void By_default_recovery_takes_no_dump_and_the_status_says_so()
    {
        var board = Board.Build();
        board.Boot();
        var target = new BoardShellTarget(board);
        target.SetRecovery("adsp", true);
        target.Crash("adsp", CrashKind.Watchdog);
        target.Advance(TimeSpan.FromMilliseconds(100));
        var status = target.Remoteprocs.Single(r => r.Name == "adsp");
        Assert.False(status.Coredump);
        Assert.Null(status.PendingCoredump);
        Assert.Equal("segments as they are now", target.CoreDump("adsp").Origin);
    }
}

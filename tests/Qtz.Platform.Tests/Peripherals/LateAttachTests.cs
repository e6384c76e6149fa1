using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Kernel.Remoteproc;
using Qtz.Kernel;
using Qtz.Platform.Boards;
using Xunit;
using static Qtz.Platform.Tests.Peripherals.PasUserBoards;

namespace Qtz.Platform.Tests.Peripherals;

/// <summary>early_boot / late attach (spec/socs.md §2.7): attach without PAS calls, then ordinary stop/start cycles.</summary>
public sealed class LateAttachTests
{
    private const uint SoccpPasId = 51;
    private const uint SoccpDtbPasId = 0x41;

    [Fact]
    public void An_early_boot_row_is_started_by_the_bootloader_and_attached_by_linux_without_a_pas_call()
    {
        using var board = Build(SoccpTree(), "soccp.dtb");
        var linux = HandOver(board);
        var report = board.Boot();
        var soccp = report.Remoteprocs.Single(r => r.Name == "soccp");
        Assert.Equal("attached", soccp.State);
        Assert.True(report.AllRunning);
        Assert.Equal(RprocState.Attached, board.Driver("soccp")!.Rproc.State);
        Assert.Empty(Calls(board, SoccpPasId, linux));
        Assert.Empty(Calls(board, SoccpDtbPasId, linux));
        // The bootloader did load it, DTB image first.
        Assert.Equal(["INIT_IMAGE 65", "MEM_SETUP 65", "AUTH_AND_RESET 65"], Calls(board, SoccpDtbPasId)[..3]);
        Assert.False(board.Driver("soccp")!.ProxyVoted);
    }

    [Fact]
    public void An_attached_dsp_stops_with_shutdown_main_then_dtb_and_starts_again_through_the_normal_pas_path()
    {
        using var board = Build(SoccpTree(), "soccp.dtb");
        board.Boot();
        var rproc = board.Driver("soccp")!.Rproc;
        var mark = Mark(board);
        Assert.Equal(Errno.None, rproc.Shutdown());
        Assert.Equal(RprocState.Offline, rproc.State);
        var shutdowns = board.Trace.Events.Skip(mark).Where(e => e.Smc is { } s && s.Caller == board.KernelCpu && s.Name == "PIL.PAS_SHUTDOWN").Select(e => e.Smc!.Call.X2).ToList();
        Assert.Equal([SoccpPasId, SoccpDtbPasId], shutdowns);
        mark = Mark(board);
        Assert.Equal(Errno.None, rproc.Boot());
        Assert.Equal(RprocState.Running, rproc.State);
        Assert.Equal(["INIT_IMAGE 65", "MEM_SETUP 65", "AUTH_AND_RESET 65"], Calls(board, SoccpDtbPasId, mark));
        Assert.Equal(["INIT_IMAGE 51", "MEM_SETUP 51", "AUTH_AND_RESET 51"], Calls(board, SoccpPasId, mark));
        Assert.Equal(Errno.None, rproc.Shutdown());
        Assert.Equal(Errno.None, rproc.Boot());
        Assert.Equal(RprocState.Running, rproc.State);
    }

    [Fact]
    public void An_early_boot_row_the_bootloader_did_not_start_finds_ready_low_and_loads_its_firmware()
    {
        using var board = Build(SoccpTree(), "soccp.dtb", o => o with { LateAttach = [] });
        var report = board.Boot();
        Assert.Equal("running", report.Remoteprocs.Single(r => r.Name == "soccp").State);
        Assert.Equal(["INIT_IMAGE 51", "MEM_SETUP 51", "AUTH_AND_RESET 51"], Calls(board, SoccpPasId));
        Assert.Contains(board.Trace.Events, e => e.Text.Contains("ready is low", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dsp_named_for_late_attach_is_probed_detached_even_when_its_row_does_not_say_early_boot()
    {
        using var board = Build("qrb5165-rb5.dtb", o => o with { LateAttach = ["adsp"] });
        var linux = HandOver(board);
        var report = board.Boot();
        Assert.Equal("attached", report.Remoteprocs.Single(r => r.Name == "adsp").State);
        Assert.Equal("running", report.Remoteprocs.Single(r => r.Name == "cdsp").State);
        Assert.Empty(Calls(board, 1, linux));
        Assert.Equal(["INIT_IMAGE 18", "MEM_SETUP 18", "AUTH_AND_RESET 18"], Calls(board, 18, linux));
    }

    [Fact]
    public void An_attached_dsp_that_crashes_is_recovered_by_a_normal_load()
    {
        using var board = Build("qrb5165-rb5.dtb", o => o with { LateAttach = ["adsp"] });
        board.Boot();
        var mark = Mark(board);
        board.Remoteproc("adsp").Core.InjectWatchdog();
        board.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RprocState.Running, board.Driver("adsp")!.Rproc.State);
        Assert.Equal(["SHUTDOWN 1", "INIT_IMAGE 1", "MEM_SETUP 1", "AUTH_AND_RESET 1"], Calls(board, 1, mark));
    }

    [Fact]
    public void A_dsp_whose_fatal_line_is_high_at_attach_is_reported_crashed_and_attach_fails()
    {
        using var board = Build("qrb5165-rb5.dtb", o => o with { LateAttach = ["adsp"], RecoveryDisabled = true });
        board.Remoteproc("adsp").Core.InjectFatal("err_fatal before Linux");
        var rproc = board.Driver("adsp")!.Rproc;
        Assert.Equal(Errno.EINVAL, rproc.Boot());
        Assert.Contains("fatal line is high", rproc.LastError, StringComparison.Ordinal);
        Assert.Single(rproc.Crashes);
    }

    /// <summary>The trace position where the bootloader hands over: Linux's own calls come after it.</summary>
    private static int HandOver(Board board)
    {
        var events = board.Trace.Events;
        var at = events.Select((e, i) => (e, i)).Last(x => x.e.Source == "bootloader").i;
        return at + 1;
    }

    /// <summary>
    /// An sm8250-mtp tree whose ADSP node becomes Kaanapali's SoCCP (early_boot, DTB image 0x41): memory-region gets
    /// a second, DTB carveout.
    /// </summary>
    private static DtTree SoccpTree()
    {
        var tree = Tree("sm8250-mtp.dtb");
        var adsp = tree.Root.DescendantsAndSelf().Single(n => n.GetStringList("compatible").Contains("qcom,sm8250-adsp-pas"));
        adsp.SetProperty("compatible", DtValues.StringList("qcom,kaanapali-soccp-pas"));
        adsp.RemoveProperty("firmware-name");
        var reserved = tree.Root.Children.Single(n => n.BaseName == "reserved-memory");
        var dtb = reserved.AddChild("soccp-dtb@9f000000");
        dtb.SetCells("reg", 0, 0x9f00_0000, 0, 0x10_0000);
        dtb.SetCells("phandle", 0x7777);
        dtb.SetProperty("no-map", []);
        var main = adsp.GetMemoryRegions()[0].Phandle!.Value;
        adsp.SetCells("memory-region", main, 0x7777);
        return tree;
    }
}

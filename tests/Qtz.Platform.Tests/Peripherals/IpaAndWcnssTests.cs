using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Kernel.Peripherals;
using Qtz.Kernel.Remoteproc;
using Qtz.Kernel;
using Qtz.Soc.Addressing;
using Xunit;
using static Qtz.Platform.Tests.Peripherals.PasUserBoards;

namespace Qtz.Platform.Tests.Peripherals;

/// <summary>IPA's GSI firmware (PAS 15) and WCNSS (PAS 6) in Linux's order, with their errno cases (spec/socs.md §5.3-5.4).</summary>
public sealed class IpaAndWcnssTests
{
    [Fact]
    public void Ipa_with_gsi_loader_self_loads_and_authenticates_pas_15()
    {
        using var board = Build("sdm845-mtp.dtb");
        var report = board.Boot();
        Assert.Equal("running", Peripheral(report, "ipa").State);
        Assert.Equal("ipa", Peripheral(report, "ipa").Kind);
        Assert.Equal(["INIT_IMAGE 15", "MEM_SETUP 15", "AUTH_AND_RESET 15"], Calls(board, 15));
        Assert.Equal("ipa_fws.mdt", board.PasUserDriver("ipa")!.Firmware);
    }

    [Theory]
    [InlineData("modem")]
    [InlineData("skip")]
    public void Ipa_loaded_by_the_modem_or_skipped_makes_no_pas_call(string loader)
    {
        var tree = Tree("sdm845-mtp.dtb");
        Ipa(tree).SetString("qcom,gsi-loader", loader);
        using var board = Build(tree, $"sdm845-ipa-{loader}.dtb");
        var report = board.Boot();
        Assert.Equal("skipped", Peripheral(report, "ipa").State);
        Assert.True(Peripheral(report, "ipa").Ok);
        Assert.Empty(Calls(board, 15));
    }

    [Fact]
    public void Ipa_with_both_modem_init_and_gsi_loader_fails_its_probe_with_einval()
    {
        var tree = Tree("sdm845-mtp.dtb");
        Ipa(tree).SetProperty("modem-init", []);
        using var board = Build(tree, "sdm845-ipa-both.dtb");
        var row = Peripheral(board.Boot(), "ipa");
        Assert.Equal("probe-failed", row.State);
        Assert.Contains("both modem-init and qcom,gsi-loader", row.Reason, StringComparison.Ordinal);
        Assert.Contains("-EINVAL", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipa_never_unloads_its_gsi_firmware()
    {
        using var board = Build("sdm845-mtp.dtb");
        board.Boot();
        var ipa = board.PasUserDriver("ipa")!;
        Assert.Equal(Errno.EOPNOTSUPP, ipa.Stop());
        Assert.Equal("running", ipa.State);
    }

    [Fact]
    public void An_apq8016_board_boots_wcnss_from_its_dynamic_carveout()
    {
        using var board = Build("apq8016-sbc.dtb");
        var report = board.Boot();
        var wcnss = Peripheral(report, "wcnss");
        Assert.Equal("running", wcnss.State);
        Assert.Equal("wcnss", wcnss.Kind);
        Assert.Equal(6u, wcnss.PasId);
        Assert.True(report.AllRunning);
        Assert.Empty(report.Remoteprocs);
        // alloc-ranges 0x86800000+0x8000000, 6 MiB aligned to 1 MiB, top-down: the first dynamic region.
        Assert.Equal(new PhysRange(new PhysAddr(0x8e20_0000), 0x60_0000), board.PasUsers.Single(u => u.Name == "wcnss").Region);
    }

    [Fact]
    public void Wcnss_probes_with_is_supported_then_loads_authenticates_and_stops_in_linux_order()
    {
        using var board = Build("apq8016-sbc.dtb");
        Assert.Equal(["IS_SUPPORTED 6"], Calls(board, 6));
        board.Boot();
        Assert.Equal(["IS_SUPPORTED 6", "INIT_IMAGE 6", "MEM_SETUP 6", "AUTH_AND_RESET 6"], Calls(board, 6));
        var wcnss = (WcnssRemoteproc)board.PasUserDriver("wcnss")!;
        var mark = Mark(board);
        Assert.Equal(Errno.None, wcnss.Stop());
        Assert.Equal(["SHUTDOWN 6"], Calls(board, 6, mark));
        Assert.Contains(board.Trace.Events.Skip(mark), e => e.Text.Contains("stop-ack", StringComparison.Ordinal));
        Assert.Equal("offline", wcnss.State);
    }

    [Fact]
    public void Wcnss_fails_its_probe_with_enxio_when_trustzone_does_not_support_pas_6()
    {
        using var board = Build("apq8016-sbc.dtb", o => o with { SecureOmitsPasIds = [6] });
        var row = Peripheral(board.Boot(), "wcnss");
        Assert.Equal("probe-failed", row.State);
        Assert.Contains("PAS is not available for WCNSS", row.Reason, StringComparison.Ordinal);
        Assert.Contains("-ENXIO", row.Reason, StringComparison.Ordinal);
        Assert.Equal(["IS_SUPPORTED 6"], Calls(board, 6));
    }

    [Fact]
    public void Wcnss_without_ready_in_5_seconds_is_shut_down_and_fails_with_etimedout()
    {
        using var board = Build("apq8016-sbc.dtb");
        board.PasUsers.Single(u => u.Name == "wcnss").Core!.BootLatency = TimeSpan.FromSeconds(6);
        var report = board.Boot();
        var row = Peripheral(report, "wcnss");
        Assert.Equal("offline", row.State);
        Assert.Contains("start timed out", row.Reason, StringComparison.Ordinal);
        Assert.Equal(["IS_SUPPORTED 6", "INIT_IMAGE 6", "MEM_SETUP 6", "AUTH_AND_RESET 6", "SHUTDOWN 6"], Calls(board, 6));
        Assert.False(board.Pas.IsCarveoutLocked(6));
    }

    [Fact]
    public void A_wcnss_watchdog_bite_is_recovered_by_reloading_it()
    {
        using var board = Build("apq8016-sbc.dtb");
        board.Boot();
        var wcnss = (WcnssRemoteproc)board.PasUserDriver("wcnss")!;
        var mark = Mark(board);
        board.PasUsers.Single(u => u.Name == "wcnss").Core!.InjectWatchdog();
        board.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RprocState.Running, wcnss.Rproc.State);
        Assert.Equal(1, wcnss.Rproc.CrashCount);
        Assert.Equal(["SHUTDOWN 6", "INIT_IMAGE 6", "MEM_SETUP 6", "AUTH_AND_RESET 6"], Calls(board, 6, mark));
    }

    private static DtNode Ipa(DtTree tree) =>
        tree.Root.DescendantsAndSelf().Single(n => n.GetStringList("compatible").Contains("qcom,sdm845-ipa"));
}

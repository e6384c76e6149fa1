using Qtz.Platform.Boards;
using Qtz.Soc;
using Qtz.TestSupport;
using Xunit;
using Qtz.Secure.Pas;
using Qtz.Soc.Bus;

namespace Qtz.Platform.Tests.Socs;

/// <summary>spec/socs.md §2.2-§2.5 on a real SM8550 tree: DTB image order, region_assign, decrypt_shutdown.</summary>
public sealed class PasFieldBehaviourTests
{
    private static Board Sm8550() => Board.Build(new BoardOptions { Dtb = SocTestData.Blob("sm8550-hdk.dtb") });

    private static List<(uint PasId, string Call)> PasCalls(Board board) =>
        board.Pas.Events.Where(e => !e.Refused || e.Call == "SHUTDOWN").Select(e => (e.PasId, e.Call)).ToList();

    [RequiresDtbsFact]
    public void The_dtb_image_is_authenticated_with_its_own_pas_id_before_the_main_image_is_loaded()
    {
        using var board = Sm8550();
        Assert.True(board.Boot().AllRunning);
        var calls = PasCalls(board);
        var initDtb = calls.IndexOf((0x24u, "INIT_IMAGE"));
        var authDtb = calls.IndexOf((0x24u, "AUTH_AND_RESET"));
        var initMain = calls.IndexOf((1u, "INIT_IMAGE"));
        var authMain = calls.IndexOf((1u, "AUTH_AND_RESET"));
        Assert.True(initDtb >= 0 && initDtb < authDtb && authDtb < initMain && initMain < authMain, string.Join(", ", calls));
        Assert.True(board.Pas.IsCarveoutLocked(0x24));
    }

    [RequiresDtbsFact]
    public void On_stop_the_main_image_is_shut_down_before_the_dtb_image()
    {
        using var board = Sm8550();
        board.Boot();
        board.Clock.Advance(TimeSpan.FromSeconds(1));
        board.Driver("adsp")!.Rproc.Shutdown();
        var calls = PasCalls(board);
        var main = calls.LastIndexOf((1u, "SHUTDOWN"));
        var dtb = calls.LastIndexOf((0x24u, "SHUTDOWN"));
        Assert.True(main >= 0 && main < dtb, string.Join(", ", calls));
        Assert.False(board.Pas.IsCarveoutLocked(0x24));
    }

    [RequiresDtbsFact]
    public void The_modems_shareable_region_is_hyp_assigned_at_probe_and_given_back_at_remove()
    {
        var board = Sm8550();
        var mpss = board.Driver("mpss")!;
        var region = Assert.Single(mpss.AssignedRegions);
        Assert.Equal(1UL << Vmid.MssMsa.Value, board.HypAssign.OwnersOf(region));
        board.Boot();
        board.ShutdownAll();
        Assert.Equal(1UL << Vmid.MssMsa.Value, board.HypAssign.OwnersOf(region)); // not tied to start/stop
        board.Dispose();
        Assert.Equal(1UL << Vmid.Hlos.Value, board.HypAssign.OwnersOf(region));
        Assert.Equal(0, mpss.LiveAssignments);
    }

    [RequiresDtbsFact]
    public void A_decrypt_shutdown_modem_retries_shutdown_while_trustzone_is_still_decrypting()
    {
        using var board = Sm8550();
        Assert.True(board.Boot().AllRunning);
        var rproc = board.Driver("mpss")!.Rproc;
        var steps = new List<string>();
        rproc.Event += e => steps.Add(e.Message);
        Assert.Equal(Kernel.Errno.None, rproc.Shutdown());
        Assert.Contains(steps, s => s.StartsWith("SHUTDOWN pas 4 -> -EINVAL", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Contains("retry", StringComparison.Ordinal) && s.EndsWith("-> ok", StringComparison.Ordinal));
        Assert.Equal(global::Qtz.Secure.Pas.PasState.Idle, board.Pas.StateOf(4));
    }

    [RequiresDtbsFact]
    public void A_cdsp_without_decrypt_shutdown_does_not_retry()
    {
        using var board = Sm8550();
        board.Boot();
        var rproc = board.Driver("cdsp")!.Rproc;
        var steps = new List<string>();
        rproc.Event += e => steps.Add(e.Message);
        rproc.Shutdown();
        Assert.DoesNotContain(steps, s => s.Contains("retry", StringComparison.Ordinal));
    }
}

using Qtz.Firmware.Elf;
using Qtz.Kernel.Pas;
using Qtz.Platform.Boards;
using Qtz.Secure;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using Qtz.Secure.Pas;
using Qtz.Shell;
using Qtz.Platform.FirmwareLoader;

namespace Qtz.Platform.Tests.Boards;

/// <summary>The default board with either secure OS behind Linux's generic PAS layer (spec/socs.md §4).</summary>
public sealed class BoardOpteeTests
{
    private static Board Optee(Action<DefaultFirmware>? customize = null) =>
        Board.Build(new BoardOptions { Tee = TeeBackend.Optee, Mode = KernelMode.Kvm, CustomizeFirmware = customize });

    [Fact]
    public void The_default_board_boots_every_DSP_through_the_OP_TEE_backend()
    {
        using var board = Optee();
        var report = board.Boot();
        Assert.True(report.AllRunning, string.Join("; ", report.Remoteprocs.Select(r => $"{r.Name}: {r.Failure}")));
        Assert.Equal("qcom-pas-tee", report.PasBackend);
        Assert.Equal(TeeBackend.Optee, report.Tee);
        Assert.All(board.Remoteprocs, r => Assert.True(board.Pas.IsCarveoutLocked(r.PasId)));
        Assert.Equal(0, board.TeeClient!.LiveShm);
    }

    [Fact]
    public void On_an_OP_TEE_board_TrustZone_offers_no_PIL_so_the_SCM_probe_registers_no_QTEE_backend()
    {
        using var board = Optee();
        Assert.False(board.Scm.IsCallAvailable(ScmCatalog.Pil, PasService.AuthAndResetCommand));
        Assert.IsType<OpteePasOps>(board.PasLayer.Backend);
        Assert.DoesNotContain(board.Trace.Events, e => e.Smc is { } s && s.Name.StartsWith("PIL.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_QTEE_board_registers_qcom_scm_from_IS_CALL_AVAIL_and_a_late_TEE_backend_is_logged_and_ignored()
    {
        using var board = Board.Build(new BoardOptions());
        Assert.Equal(QteePasOps.Name, board.PasLayer.BackendName);
        Assert.Equal("qcom_scm", board.Boot().PasBackend);
        var second = new Qtz.Kernel.Tee.OpteeClient(board.Conduit, board.Bus, board.KernelCpu, board.Dma);
        Assert.NotEqual(0, OpteePasOps.Probe(second, board.PasLayer, out _)); // no OP-TEE behind EL3 on this board: the session never opens
        Assert.Equal(QteePasOps.Name, board.PasLayer.BackendName);
    }

    [Fact]
    public void Traces_show_each_TEE_invoke_decoded_beside_the_SMC_that_carried_it()
    {
        using var board = Optee();
        board.Boot();
        var lines = board.Trace.Events.Select(e => e.ToString()).ToList();
        var auth = lines.FindIndex(l => l.Contains("optee invoke PAS AUTH_AND_RESET pas_id=1 mem=0x95c00000+0x1e00000 -> TEE_SUCCESS", StringComparison.Ordinal));
        Assert.True(auth >= 0, string.Join('\n', lines.Where(l => l.Contains("optee", StringComparison.Ordinal)).Take(20)));
        Assert.Contains("smc OPTEE.CALL_WITH_ARG 0x32000004", lines[auth + 1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("optee open session PAS uuid=cff7d191-7ca0-4784-af13-48223b9a4fbe login=0x80000000", StringComparison.Ordinal));
        var records = BoardReportBuilder.Records(board);
        Assert.Contains(records, r => r.Track == "optee" && r.Name == "invoke PAS AUTH_AND_RESET");
        Assert.Contains(records, r => r.Track == "scm" && r.Name == "OPTEE.CALL_WITH_ARG");
    }

    [Fact]
    public void A_tampered_image_is_refused_by_the_TA_with_the_segment_and_both_hashes_named()
    {
        using var board = Optee(fw =>
        {
            var bytes = fw.Bytes("qcom/sa8775p/cdsp0.mbn");
            var elf = ElfFile.Parse(bytes);
            var load = elf.ProgramHeaders.First(p => p.IsLoad && p.FileSize > 0);
            bytes[(int)load.Offset + 8] ^= 0x01;
            fw.Replace("qcom/sa8775p/cdsp0.mbn", bytes);
        });
        var report = board.Boot();
        var cdsp0 = Assert.Single(report.Remoteprocs, r => r.Name == "cdsp0");
        Assert.False(cdsp0.Running);
        Assert.Contains("TrustZone refused AUTH_AND_RESET (OP-TEE PAS TA): segment", cdsp0.Failure, StringComparison.Ordinal);
        Assert.Contains("the hash table says", cdsp0.Failure, StringComparison.Ordinal);
        Assert.Equal(PasErrors.SegmentHashMismatch, board.Pas.LastError(18)!.Value.Code);
        Assert.Equal(4, report.Remoteprocs.Count(r => r.Running));
    }

    [Fact]
    public void Stop_and_start_through_the_TA_release_every_shm_and_lock()
    {
        using var board = Optee();
        board.Boot();
        board.ShutdownAll();
        Assert.Equal(0, board.Pas.LockedCarveoutCount);
        Assert.Equal(0, board.Pas.LockedMetadataCount);
        Assert.Equal(0, board.TeeClient!.LiveShm);
        Assert.Equal(0, board.Optee!.RegisteredShm);
    }

    [Fact]
    public void OP_TEE_under_QHEE_is_refused_with_the_reason()
    {
        var e = Assert.Throws<BoardException>(() => Board.Build(new BoardOptions { Tee = TeeBackend.Optee, Mode = KernelMode.Qhee }));
        Assert.Contains("--mode kvm", e.Message, StringComparison.Ordinal);
    }
}

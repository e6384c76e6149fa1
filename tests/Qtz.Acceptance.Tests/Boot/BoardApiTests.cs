using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;
using Qtz.Platform.Boards;
using Qtz.Platform.FirmwareLoader;
using Qtz.TestSupport;
using Xunit;
using Qtz.Secure.Hypervisor;

namespace Qtz.Acceptance.Tests.Boot;

/// <summary>Issue 6 acceptance through the public API: boots, tampering, and the security invariants after each.</summary>
public sealed class BoardApiTests
{
    [Theory]
    [InlineData(KernelMode.Qhee, El2Design.RscTable)]
    [InlineData(KernelMode.Kvm, El2Design.RscTable)]
    [InlineData(KernelMode.Kvm, El2Design.Devmem)]
    public void Default_board_boots_five_and_leaves_nothing_behind_after_stop(KernelMode mode, El2Design design)
    {
        var board = Board.Build(new BoardOptions { Mode = mode, El2Design = design });
        var report = board.Boot();
        Assert.True(report.AllRunning, Describe(report));
        BoardInvariants.Assert(board);
        board.ShutdownAll();
        Assert.All(board.Remoteprocs, r => Assert.Equal("offline", board.Driver(r.Name)!.Rproc.StateName));
        BoardInvariants.Assert(board);
    }

    [RequiresFirmwareFact]
    public void Real_firmware_under_qhee_boots_and_stops_cleanly()
    {
        var board = Board.Build(new BoardOptions { FirmwareDirectory = TestPaths.FirmwareDirectory, Mode = KernelMode.Qhee });
        var report = board.Boot();
        Assert.True(report.AllRunning, Describe(report));
        BoardInvariants.Assert(board);
        board.ShutdownAll();
        BoardInvariants.Assert(board);
    }

    [Fact]
    public void A_flipped_segment_byte_is_refused_at_auth_and_reset_and_the_others_still_boot()
    {
        var board = Board.Build(new BoardOptions
        {
            CustomizeFirmware = fw => fw.Replace("adsp.mbn", FlipSegmentByte(fw.Bytes("adsp.mbn"))),
        });
        var report = board.Boot();
        var adsp = report.Remoteprocs.Single(r => r.Name == "adsp");
        Assert.False(adsp.Running);
        Assert.Contains("AUTH_AND_RESET", adsp.Failure, StringComparison.Ordinal);
        Assert.Equal(0, board.Remoteproc("adsp").Core.BootCount);
        Assert.All(report.Remoteprocs.Where(r => r.Name != "adsp"), r => Assert.True(r.Running, Describe(report)));
        BoardInvariants.Assert(board);
        board.ShutdownAll();
        BoardInvariants.Assert(board);
    }

    [Fact]
    public void A_wrong_sw_id_for_the_pas_id_is_refused_at_init_image()
    {
        var board = Board.Build(new BoardOptions
        {
            CustomizeFirmware = fw =>
            {
                using var keys = DefaultFirmware.LoadTestKeys();
                fw.Replace("cdsp0.mbn", Resign(fw.Bytes("cdsp0.mbn"), keys, softwareId: 0x04));
            },
        });
        var report = board.Boot();
        var cdsp0 = report.Remoteprocs.Single(r => r.Name == "cdsp0");
        Assert.False(cdsp0.Running);
        Assert.Contains("INIT_IMAGE", cdsp0.Failure, StringComparison.Ordinal);
        Assert.Equal(0, board.Remoteproc("cdsp0").Core.BootCount);
        Assert.Equal(4, report.Remoteprocs.Count(r => r.Running));
        BoardInvariants.Assert(board);
    }

    [Fact]
    public void An_untrusted_root_is_refused_with_enforcement_on()
    {
        var board = Board.Build(new BoardOptions
        {
            CustomizeFirmware = fw =>
            {
                using var rogue = SigningKeys.Generate(SigningKeyType.P384);
                fw.Replace("gpdsp1.mbn", Resign(fw.Bytes("gpdsp1.mbn"), rogue, softwareId: 0x5A));
            },
        });
        var report = board.Boot();
        var gpdsp1 = report.Remoteprocs.Single(r => r.Name == "gpdsp1");
        Assert.False(gpdsp1.Running);
        Assert.Contains("INIT_IMAGE", gpdsp1.Failure, StringComparison.Ordinal);
        Assert.Contains("NOT fused", gpdsp1.Signer, StringComparison.Ordinal);
        Assert.Equal(0, board.Remoteproc("gpdsp1").Core.BootCount);
        BoardInvariants.Assert(board);
    }

    [Fact]
    public void Kvm_without_iommus_releases_every_dsp_into_an_smmu_fault_and_holds_nothing()
    {
        var board = Board.Build(new BoardOptions { Mode = KernelMode.Kvm, NoEl2Overlay = true });
        var report = board.Boot();
        Assert.All(report.Remoteprocs, r => Assert.False(r.Running));
        Assert.All(report.Remoteprocs, r => Assert.Contains("StreamFault", r.Failure, StringComparison.Ordinal));
        Assert.All(report.Remoteprocs, r => Assert.Equal(0, r.SmmuMappings));
        // TrustZone accepted and released each core: the failure is the DSP's, not an authentication refusal.
        Assert.All(report.Remoteprocs, r => Assert.Equal(1, board.Remoteproc(r.Name).Core.BootCount));
        BoardInvariants.Assert(board);
    }

    private static byte[] FlipSegmentByte(byte[] image)
    {
        using var parsed = FirmwareImage.FromMemory(image.ToArray());
        var segment = parsed.ProgramHeaders.Select((p, i) => (p, i)).First(x => x.i > parsed.HashSegmentIndex && x.p.FileSize > 0);
        var copy = image.ToArray();
        copy[(int)segment.p.Offset + 100] ^= 0x01;
        return copy;
    }

    private static byte[] Resign(byte[] image, SigningKeys keys, uint softwareId)
    {
        using var parsed = FirmwareImage.FromMemory(image);
        return FirmwareSigner.Sign(parsed, keys, new SignOptions { Version = 6, SoftwareId = softwareId, OemId = 1 });
    }

    private static string Describe(BootReport report) =>
        string.Join("\n", report.Remoteprocs.Select(r => $"{r.Name}: {r.State} {r.Failure}"));
}

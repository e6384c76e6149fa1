using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;
using Qtz.Platform.Boards;
using Qtz.Platform.FirmwareLoader;
using Xunit;

namespace Qtz.Platform.Tests.Boards;

/// <summary>Boards built again and again from prepared parts (the fuzzer's and the soak's way) boot like fresh ones and check as hard.</summary>
public sealed class PreparedBoardTests
{
    [Fact]
    public void A_board_from_prepared_firmware_and_a_shared_signature_memo_boots_and_pays_each_signature_once()
    {
        var firmware = Board.Build().Firmware;
        var memo = new SignatureCheckCache();
        var first = Board.Build(new BoardOptions { Firmware = firmware, SignatureCache = memo });
        Assert.True(first.Boot().AllRunning);
        var checks = memo.Count;
        Assert.True(checks >= 5, $"{checks} signature checks remembered");

        var second = Board.Build(new BoardOptions { Firmware = firmware, SignatureCache = memo });
        Assert.True(second.Boot().AllRunning);
        Assert.Equal(checks, memo.Count);
        BoardInvariants.Assert(second);
    }

    [Fact]
    public void A_warm_signature_memo_still_refuses_an_image_whose_signature_changed()
    {
        var good = (DefaultFirmware)Board.Build().Firmware;
        var memo = new SignatureCheckCache();
        Assert.True(Board.Build(new BoardOptions { Firmware = good, SignatureCache = memo }).Boot().AllRunning);

        var tampered = (DefaultFirmware)Board.Build().Firmware;
        foreach (var name in good.Names) tampered.Replace(name, good.Bytes(name));
        tampered.Replace("adsp.mbn", FlipSignatureByte(good.Bytes("adsp.mbn")));
        var board = Board.Build(new BoardOptions { Firmware = tampered, SignatureCache = memo });
        var report = board.Boot();
        var adsp = report.Remoteprocs.Single(r => r.Name == "adsp");
        Assert.False(adsp.Running);
        Assert.Contains("TrustZone refused INIT_IMAGE", adsp.Failure, StringComparison.Ordinal);
        Assert.Equal(4, report.Remoteprocs.Count(r => r.Running));
        BoardInvariants.Assert(board);
    }

    private static byte[] FlipSignatureByte(byte[] image)
    {
        using var parsed = FirmwareImage.FromMemory(image.ToArray());
        var phdr = parsed.ProgramHeaders[parsed.HashSegmentIndex];
        var segment = HashSegment.Parse(image.AsSpan((int)phdr.Offset, (int)phdr.FileSize).ToArray(), parsed.ProgramHeaders.Count);
        var copy = image.ToArray();
        copy[(int)phdr.Offset + segment.OemSignatureRange.Start.Value + 20] ^= 0x01;
        return copy;
    }
}

using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Firmware.Tests.Rules;

/// <summary>Hash-only and unsigned images are results (verify: not passed, saying why), not bad input.</summary>
public class UnsignedImageTests
{
    /// <summary>A signed v5 image with both signature and chain sizes set to 0: what a hash-only image looks like.</summary>
    private static byte[] HashOnly()
    {
        var signed = TestImages.Signed(5, SigningKeyType.Rsa2048);
        var at = Mutate.HashSegmentOffset(signed);
        using var fw = FirmwareImage.FromMemory(signed);
        var length = (int)fw.ProgramHeaders[fw.HashSegmentIndex].FileSize;
        return Mutate.With(signed, b =>
        {
            foreach (var field in new[] { 0x08, 0x0C, 0x1C, 0x24 })
                Mutate.PutU32(b, at + field, 0);
            Mutate.PutU32(b, at + 0x10, BitConverter.ToUInt32(b, at + 0x14));
            var table = 40 + (int)BitConverter.ToUInt32(b, at + 0x14);
            b.AsSpan(at + table, length - table).Fill(0xFF);
        });
    }

    [Fact]
    public void A_hash_segment_without_signature_is_hash_only_with_every_hash_checked()
    {
        var (report, error) = Mutate.TryVerify(HashOnly());
        Assert.Null(error);
        Assert.Equal(ImageSigning.HashOnly, report!.Signing);
        Assert.False(report.Passed);
        Assert.True(report.ChecksPassed, string.Join("\n", report.Failures));
        Assert.Equal("hash-only: all 6 segment hashes match, no signature", report.Summary);
    }

    [Fact]
    public void A_hash_only_image_with_a_changed_segment_fails_its_hash_check()
    {
        var image = HashOnly();
        using var fw = FirmwareImage.FromMemory(image);
        var (report, _) = Mutate.TryVerify(Mutate.With(image, b => b[(int)fw.ProgramHeaders[2].Offset] ^= 1));
        Assert.Equal(ImageSigning.HashOnly, report!.Signing);
        Assert.Contains(report.Failures, c => c.Kind == CheckKind.SegmentHash && c.Segment == 2);
        Assert.StartsWith("FAILED", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_elf_has_no_hash_segment_and_that_is_the_verdict()
    {
        var (report, error) = Mutate.TryVerify(PlainElf.Build());
        Assert.Null(error);
        Assert.Equal(ImageSigning.NoHashSegment, report!.Signing);
        Assert.Equal("no hash segment", report.Summary);
        Assert.False(report.Passed);
    }

    [Fact]
    public void An_empty_hash_segment_placeholder_counts_as_no_hash_segment()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Unsigned());
        Assert.Equal(ImageSigning.NoHashSegment, FirmwareVerifier.Verify(image).Signing);
        Assert.Equal(ImageSigning.NoHashSegment, FirmwareInspector.Describe(image).Signing);
    }

    public static TheoryData<string, ImageSigning, string> RealClasses => new()
    {
        { "ath10k/WCN3990/hw1.0/wlanmdsp.mbn", ImageSigning.Signed, "OK:" },
        { "qcom/aic100/fw2.bin", ImageSigning.Signed, "OK:" },
        { "qca/msbtfw11.mbn", ImageSigning.Signed, "OK:" },
        { "ath11k/QCA6390/hw2.0/amss.bin", ImageSigning.HashOnly, "hash-only: all " },
        { "ath11k/IPQ8074/hw2.0/m3_fw.mdt", ImageSigning.HashOnly, "hash-only: all 3 segment hashes match, no signature" },
        { "ath11k/QCA6390/hw2.0/m3.bin", ImageSigning.NoHashSegment, "no hash segment" },
    };

    [RequiresFirmwareTheory]
    [MemberData(nameof(RealClasses))]
    public void Every_class_of_real_image_gets_its_verdict_not_a_refusal(string file, ImageSigning signing, string summary)
    {
        using var image = FirmwareImage.Open(TestPaths.FirmwareFile(file));
        var report = FirmwareVerifier.Verify(image);
        Assert.Equal(signing, report.Signing);
        Assert.True(report.ChecksPassed, string.Join("\n", report.Failures));
        Assert.StartsWith(summary, report.Summary, StringComparison.Ordinal);
        Assert.Equal(signing, FirmwareInspector.Describe(image).Signing);
    }

    [RequiresFirmwareFact]
    public void The_v6_bluetooth_image_keeps_a_sha256_table()
    {
        using var image = FirmwareImage.Open(TestPaths.FirmwareFile("qca", "msbtfw11.mbn"));
        var report = FirmwareVerifier.Verify(image);
        Assert.Equal((6, "SHA256"), (report.HashSegment!.Version, report.HashSegment.TableAlgorithm.Name));
    }

    [RequiresFirmwareFact]
    public void The_aic100_image_warns_about_its_shared_load_address()
    {
        using var image = FirmwareImage.Open(TestPaths.FirmwareFile("qcom", "aic100", "fw2.bin"));
        var warning = Assert.Single(FirmwareVerifier.Verify(image).LayoutWarnings);
        Assert.Contains("0x18F78000", warning.Message, StringComparison.Ordinal);
    }
}

using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;
using Xunit;

namespace Qtz.Firmware.Tests.Writers;

/// <summary>Dual-signed (QTI + OEM) images and the §2.5 masking: each signer signs with the other's sizes and metadata zeroed.</summary>
public class DualSignerTests
{
    private static byte[] DualSigned(int version)
    {
        using var image = FirmwareImage.FromMemory(TestImages.Unsigned());
        return FirmwareSigner.Sign(image, TestImages.Keys(SigningKeyType.P384), new SignOptions { Version = version, SoftwareId = 0x24 },
            TestImages.Keys(SigningKeyType.Rsa2048));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Both_signers_verify_with_masking(int version)
    {
        using var image = FirmwareImage.FromMemory(DualSigned(version));
        var report = FirmwareVerifier.Verify(image);
        Assert.True(report.Passed, string.Join("\n", report.Failures));
        Assert.Equal([Signer.Qti, Signer.Oem], report.Signers.Select(s => s.Signer));
        Assert.Equal(2, report.Checks.Count(c => c.Kind == CheckKind.ImageSignature && c.Status == CheckStatus.Passed));
        Assert.Equal(0x24u, report.SoftwareId);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void A_changed_qti_metadata_byte_fails_only_the_qti_signature(int version)
    {
        var bytes = DualSigned(version);
        int at;
        using (var image = FirmwareImage.FromMemory(bytes))
        {
            var segment = FirmwareVerifier.Verify(image).HashSegment!;
            at = (int)image.ProgramHeaders[image.HashSegmentIndex].Offset + segment.QtiMetadataRange.Start.Value + 0x14;
        }

        var tampered = Mutate.With(bytes, b => b[at] ^= 0x40);
        var failure = Assert.Single(Mutate.TryVerify(tampered).Report!.Failures);
        Assert.Equal((CheckKind.ImageSignature, "QTI signature"), (failure.Kind, failure.Subject));
    }

    [Fact]
    public void Masking_zeroes_the_other_signers_sizes_and_metadata()
    {
        using var image = FirmwareImage.FromMemory(DualSigned(6));
        var segment = FirmwareVerifier.Verify(image).HashSegment!;
        var oemView = ImageSignature.SignedMessage(segment, Signer.Oem);
        Assert.Equal(0u, BitConverter.ToUInt32(oemView, 0x08));
        Assert.Equal(0u, BitConverter.ToUInt32(oemView, 0x0C));
        Assert.All(oemView[segment.QtiMetadataRange], b => Assert.Equal(0, b));
        Assert.Equal(segment.Bytes[segment.OemMetadataRange], oemView[segment.OemMetadataRange]);
        var qtiView = ImageSignature.SignedMessage(segment, Signer.Qti);
        Assert.Equal(0u, BitConverter.ToUInt32(qtiView, 0x1C));
        Assert.Equal(0u, BitConverter.ToUInt32(qtiView, 0x24));
        Assert.All(qtiView[segment.OemMetadataRange], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_v3_image_cannot_be_countersigned()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Unsigned());
        Assert.Throws<ArgumentException>(() => FirmwareSigner.Sign(image, TestImages.Keys(SigningKeyType.P384), new SignOptions { Version = 3 }, TestImages.Keys(SigningKeyType.P384)));
    }
}

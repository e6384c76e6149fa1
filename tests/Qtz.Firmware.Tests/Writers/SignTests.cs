using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Xunit;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Tests.Writers;

public class SignTests
{
    public static TheoryData<int, SigningKeyType, ImageSignatureScheme> Versions => new()
    {
        { 3, SigningKeyType.Rsa2048, ImageSignatureScheme.LegacyRsaDoubleHash },
        { 5, SigningKeyType.Rsa2048, ImageSignatureScheme.RsaPss },
        { 6, SigningKeyType.Rsa2048, ImageSignatureScheme.RsaPss },
        { 7, SigningKeyType.Rsa2048, ImageSignatureScheme.RsaPss },
        { 3, SigningKeyType.P384, ImageSignatureScheme.EcdsaP384 },
        { 5, SigningKeyType.P384, ImageSignatureScheme.EcdsaP384 },
        { 6, SigningKeyType.P384, ImageSignatureScheme.EcdsaP384 },
        { 7, SigningKeyType.P384, ImageSignatureScheme.EcdsaP384 },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Signed_image_verifies_with_the_generated_root_pinned(int version, SigningKeyType type, ImageSignatureScheme scheme)
    {
        var keys = TestImages.Keys(type);
        using var image = FirmwareImage.FromMemory(TestImages.Signed(version, type, softwareId: 0x44, rollback: 3));
        var report = FirmwareVerifier.Verify(image, new VerifyOptions { PinnedRootHashes = [keys.RootSha384], PasId = 30, MinimumRollbackVersion = 3 });
        Assert.True(report.Passed, string.Join("\n", report.Failures));
        Assert.Equal(version, report.HashSegment!.Version);
        Assert.Equal(scheme, Assert.Single(report.Signers).Scheme);
        Assert.Equal(0x44u, report.SoftwareId);
        Assert.Equal(3u, report.AntiRollbackVersion);
        Assert.Equal(RootClass.Test, report.Signers[0].RootClass);
        Assert.Contains(report.Checks, c => c.Kind == CheckKind.RootHash && c.Status == CheckStatus.Passed);
    }

    [Fact]
    public void A_root_that_is_not_pinned_fails_the_root_hash_check()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Signed(6, SigningKeyType.P384));
        var report = FirmwareVerifier.Verify(image, new VerifyOptions { PinnedRootHashes = [new byte[48]] });
        Assert.Equal(CheckKind.RootHash, Assert.Single(report.Failures).Kind);
    }

    [Fact]
    public void The_wrong_sw_id_for_the_pas_id_fails_the_software_id_check()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Signed(6, SigningKeyType.P384, softwareId: 0x17));
        var report = FirmwareVerifier.Verify(image, new VerifyOptions { PasId = 1 });
        Assert.Equal(CheckKind.SoftwareId, Assert.Single(report.Failures).Kind);
    }

    [Fact]
    public void A_version_below_the_rollback_floor_fails_the_anti_rollback_check()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Signed(7, SigningKeyType.P384, rollback: 1));
        var report = FirmwareVerifier.Verify(image, new VerifyOptions { MinimumRollbackVersion = 2 });
        Assert.Equal(CheckKind.AntiRollback, Assert.Single(report.Failures).Kind);
    }

    [Fact]
    public void V6_total_size_excludes_the_metadata_as_sectools_writes_it()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Signed(6, SigningKeyType.P384));
        var header = FirmwareVerifier.Verify(image).HashSegment!.Header;
        Assert.Equal(header.HashSize + header.OemSignatureSize + header.OemCertificateChainSize, header.TotalSize);
        Assert.Equal(120u, header.OemMetadataSize);
    }

    [Fact]
    public void Verifying_with_two_threads_gives_the_same_checks_as_one()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Signed(6, SigningKeyType.P384));
        var one = FirmwareVerifier.Verify(image).Checks.Select(c => c.ToString());
        var two = FirmwareVerifier.Verify(image, new VerifyOptions { Threads = 2 }).Checks.Select(c => c.ToString());
        Assert.Equal(one, two);
    }
}

public class MetadataVerificationTests
{
    [Fact]
    public void The_init_image_metadata_blob_verifies_on_its_own_with_segments_left_for_auth()
    {
        var blob = SignedMetadataBlob();
        var report = FirmwareVerifier.VerifyMetadata(blob, new VerifyOptions { PasId = 18 });
        Assert.True(report.Passed, string.Join("\n", report.Failures));
        Assert.Contains(report.Checks, c => c.Kind == CheckKind.SegmentHash && c.Segment == 0 && c.Status == CheckStatus.Passed);
        Assert.Contains(report.Checks, c => c.Kind == CheckKind.SegmentHash && c.Segment == 2 && c.Status == CheckStatus.Skipped);
        Assert.Equal(48, report.HashSegment!.Entry(2).Length);
    }

    [Fact]
    public void A_tampered_elf_header_in_the_metadata_fails_entry_0()
    {
        var blob = SignedMetadataBlob();
        blob[0x18] ^= 1; // e_entry
        var report = FirmwareVerifier.VerifyMetadata(blob);
        Assert.Equal((CheckKind.SegmentHash, (int?)0), (report.FirstFailure!.Kind, report.FirstFailure.Segment));
    }

    private static byte[] SignedMetadataBlob()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Signed(6, SigningKeyType.P384));
        return MdtMetadata.Build(image).Blob;
    }
}

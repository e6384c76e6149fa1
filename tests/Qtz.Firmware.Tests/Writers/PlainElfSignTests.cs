using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Firmware.Tests.Writers;

/// <summary>Signing a plain ELF adds the placeholder and the hash segment where qtestsign puts them.</summary>
public class PlainElfSignTests
{
    private static byte[] Sign(byte[] plain, int version, SigningKeyType type)
    {
        using var image = FirmwareImage.FromMemory(plain, "plain.elf");
        return FirmwareSigner.Sign(image, TestImages.Keys(type), new SignOptions { Version = version, SoftwareId = 0x12 });
    }

    [Theory]
    [InlineData(3, SigningKeyType.Rsa2048)]
    [InlineData(5, SigningKeyType.Rsa2048)]
    [InlineData(6, SigningKeyType.P384)]
    [InlineData(7, SigningKeyType.P384)]
    public void A_signed_plain_elf_verifies_against_its_root(int version, SigningKeyType type)
    {
        var signed = Sign(PlainElf.Build(), version, type);
        using var image = FirmwareImage.FromMemory(signed);
        var report = FirmwareVerifier.Verify(image, new VerifyOptions { PinnedRootHashes = [TestImages.Keys(type).RootSha384] });
        Assert.True(report.Passed, string.Join("\n", report.Failures));
        Assert.Equal(version, report.HashSegment!.Version);
        Assert.Equal(0x12u, report.SoftwareId);
    }

    [Fact]
    public void The_hash_segment_is_phdr_1_at_the_first_page_after_the_headers_and_above_the_image_in_memory()
    {
        var signed = Sign(PlainElf.Build(), 6, SigningKeyType.P384);
        using var image = FirmwareImage.FromMemory(signed);
        var p = image.ProgramHeaders;
        Assert.Equal(6, p.Count);
        Assert.Equal((ProgramHeaderType.Null, QcomSegmentFlags.TypePhdr, 0UL, image.Header.PhdrTableEnd), (p[0].Type, p[0].Flags, p[0].Offset, p[0].FileSize));
        Assert.Equal(1, image.HashSegmentIndex);
        Assert.Equal((0x0220_0000u, 0x1000UL, 0x4000_4000UL), (p[1].Flags, p[1].Offset, p[1].PhysicalAddress));
        Assert.Equal(0UL, p[1].MemorySize % 0x1000);
        Assert.True(p[2].Offset >= p[1].FileEnd);
        Assert.Equal(0UL, image.Header.ShOff);
    }

    [Fact]
    public void Every_segment_keeps_its_bytes_and_a_note_stays_inside_its_load()
    {
        var plain = PlainElf.Build();
        using var before = FirmwareImage.FromMemory(plain, "plain.elf");
        using var after = FirmwareImage.FromMemory(Sign(plain, 5, SigningKeyType.Rsa2048));
        for (var i = 0; i < before.ProgramHeaders.Count; i++)
        {
            Assert.Equal(before.ProgramHeaders[i] with { Offset = 0 }, after.ProgramHeaders[i + 2] with { Offset = 0 });
            Assert.Equal(before.ReadSegment(i), after.ReadSegment(i + 2));
        }

        Assert.Equal(after.ProgramHeaders[2].Offset + 0x200, after.ProgramHeaders[3].Offset);
        Assert.Empty(SegmentLayout.Check(after.Elf));
    }

    [RequiresFirmwareFact]
    public void The_real_plain_m3_image_signs_and_verifies()
    {
        var signed = Sign(File.ReadAllBytes(TestPaths.FirmwareFile("ath11k", "QCA6390", "hw2.0", "m3.bin")), 7, SigningKeyType.P384);
        using var image = FirmwareImage.FromMemory(signed);
        Assert.True(FirmwareVerifier.Verify(image).Passed);
    }
}

using System.Security.Cryptography;
using Qtz.Firmware.Elf;
using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Xunit;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Tests.Rules;

/// <summary>What Linux's mdt_loader loads, qtz loads and verifies: oddities are warnings, not refusals.</summary>
public class LinuxLoaderRulesTests
{
    private static byte[] PatchPhdr(byte[] image, int index, Func<ProgramHeader, ProgramHeader> change) => Mutate.With(image, b =>
    {
        var at = 52 + (32 * index);
        change(ProgramHeader.Parse(b.AsSpan(at), ElfClass.Elf32)).WriteTo(b.AsSpan(at), ElfClass.Elf32);
    });

    [Fact]
    public void Two_loads_sharing_physical_memory_give_a_warning_and_the_image_still_verifies()
    {
        var unsigned = TestImages.Unsigned();
        using var original = FirmwareImage.FromMemory(unsigned);
        var first = original.ProgramHeaders[2];
        var overlapping = PatchPhdr(unsigned, 3, p => p with { PhysicalAddress = first.PhysicalAddress, VirtualAddress = first.PhysicalAddress });
        var (report, error) = Mutate.TryVerify(TestImages.Signed(6, SigningKeyType.P384, unsignedImage: overlapping));
        Assert.Null(error);
        Assert.True(report!.Passed, string.Join("\n", report.Failures));
        var warning = Assert.Single(report.LayoutWarnings);
        Assert.Equal((2, 3), (warning.First, warning.Second));
        Assert.Contains("physical memory", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_sharing_file_bytes_give_a_warning_not_an_error()
    {
        var unsigned = TestImages.Unsigned();
        using var original = FirmwareImage.FromMemory(unsigned);
        var shared = PatchPhdr(unsigned, 3, p => p with { Offset = original.ProgramHeaders[2].Offset });
        using var image = FirmwareImage.FromMemory(shared);
        var warning = Assert.Single(SegmentLayout.Check(image.Elf));
        Assert.Contains("file bytes", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_note_inside_the_load_that_carries_it_is_normal_layout_without_a_warning()
    {
        using var image = FirmwareImage.FromMemory(PlainElf.Build());
        Assert.Equal(ProgramHeaderType.Note, image.ProgramHeaders[1].Type);
        Assert.Empty(SegmentLayout.Check(image.Elf));
    }

    [Fact]
    public void A_loadable_segment_with_more_file_bytes_than_memory_is_refused_with_its_index()
    {
        var bad = PatchPhdr(TestImages.Unsigned(), 3, p => p with { MemorySize = p.FileSize - 1 });
        using var image = FirmwareImage.FromMemory(bad);
        var error = Assert.Throws<FirmwareFormatException>(() => SegmentLayout.Check(image.Elf));
        Assert.Contains("program header 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_single_image_is_refused_as_truncated_with_the_offset_not_taken_for_a_split_one()
    {
        var signed = TestImages.Signed(6, SigningKeyType.P384);
        var cut = signed.AsMemory(0, signed.Length - 100);
        var error = Assert.Throws<FirmwareFormatException>(() => FirmwareImage.FromMemory(cut));
        Assert.Contains($"truncated at 0x{signed.Length - 100:X}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_mdt_alone_is_still_a_split_image()
    {
        var signed = TestImages.Signed(6, SigningKeyType.P384);
        var metadata = MdtMetadata.Build(FirmwareImage.FromMemory(signed)).Blob;
        using var image = FirmwareImage.FromMemory(metadata, "fw.mdt");
        Assert.Equal(ImageForm.Split, image.Form);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(ImageMetadata.V6Length)]
    public void A_v6_total_size_with_or_without_the_metadata_is_accepted(uint extra)
    {
        var (segment, offset) = HashSegmentOf(TestImages.Signed(6, SigningKeyType.P384));
        var total = BitConverter.ToUInt32(segment, 0x10);
        Mutate.PutU32(segment, 0x10, total + extra);
        Assert.Equal(6, HashSegment.Parse(segment, offset).Version);
    }

    [Fact]
    public void Any_other_total_size_is_refused_naming_offset_0x10()
    {
        var (segment, phnum) = HashSegmentOf(TestImages.Signed(6, SigningKeyType.P384));
        Mutate.PutU32(segment, 0x10, BitConverter.ToUInt32(segment, 0x10) + 4);
        var error = Assert.Throws<FirmwareFormatException>(() => HashSegment.Parse(segment, phnum));
        Assert.Contains("offset 0x10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32, "SHA256")]
    [InlineData(48, "SHA384")]
    public void A_v6_table_algorithm_follows_the_digest_size_not_the_version(int digest, string algorithm)
    {
        var (segment, phnum) = HashSegmentOf(TestImages.Signed(6, SigningKeyType.P384));
        var oldHash = BitConverter.ToUInt32(segment, 0x14);
        Mutate.PutU32(segment, 0x14, (uint)(phnum * digest));
        Mutate.PutU32(segment, 0x10, BitConverter.ToUInt32(segment, 0x10) - oldHash + (uint)(phnum * digest));
        var parsed = HashSegment.Parse(segment, phnum);
        Assert.Equal(algorithm, parsed.TableAlgorithm.Name);
        Assert.Equal(digest, parsed.DigestLength);
    }

    [Fact]
    public void A_digest_size_of_neither_sha256_nor_sha384_is_refused()
    {
        var (segment, phnum) = HashSegmentOf(TestImages.Signed(6, SigningKeyType.P384));
        var oldHash = BitConverter.ToUInt32(segment, 0x14);
        Mutate.PutU32(segment, 0x14, (uint)(phnum * 40));
        Mutate.PutU32(segment, 0x10, BitConverter.ToUInt32(segment, 0x10) - oldHash + (uint)(phnum * 40));
        var error = Assert.Throws<FirmwareFormatException>(() => HashSegment.Parse(segment, phnum));
        Assert.Contains("expected 32 (SHA-256) or 48 (SHA-384)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v7_table_algorithm_must_agree_with_the_digest_size()
    {
        var (segment, phnum) = HashSegmentOf(TestImages.Signed(7, SigningKeyType.P384));
        Mutate.PutU32(segment, 0x38, CommonMetadata.Sha256);
        var error = Assert.Throws<FirmwareFormatException>(() => HashSegment.Parse(segment, phnum));
        Assert.Contains("hash_table_algorithm", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_empty_segment_entry_may_be_zero_or_the_digest_of_nothing_but_nothing_else(bool digestOfNothing)
    {
        var signed = TestImages.Signed(6, SigningKeyType.P384);
        using var fw = FirmwareImage.FromMemory(signed);
        var empty = fw.ProgramHeaders.Select((p, i) => (p, i)).Last(x => x.p.FileSize == 0).i;
        var segment = FirmwareVerifier.Verify(fw).HashSegment!;
        var at = (int)fw.ProgramHeaders[fw.HashSegmentIndex].Offset + segment.HashTableRange.Start.Value + (empty * segment.DigestLength);
        var entry = digestOfNothing ? SHA384.HashData([]) : Enumerable.Repeat((byte)0x5A, 48).ToArray();
        var (report, _) = Mutate.TryVerify(Mutate.With(signed, b => entry.CopyTo(b, at)));
        var check = Assert.Single(report!.Checks, c => c.Kind == CheckKind.EmptySegmentEntryZero && c.Segment == empty);
        Assert.Equal(digestOfNothing ? CheckStatus.Passed : CheckStatus.Failed, check.Status);
    }

    private static (byte[] Segment, int ProgramHeaderCount) HashSegmentOf(byte[] image)
    {
        using var fw = FirmwareImage.FromMemory(image);
        return (fw.ReadSegment(fw.HashSegmentIndex), fw.ProgramHeaders.Count);
    }
}

using System.Buffers.Binary;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Firmware.Tests.Fuzz;

public class MalformedInputTests
{
    private static readonly byte[] Signed = TestImages.Signed(6, SigningKeyType.P384);

    [Fact]
    public void Truncation_at_every_offset_gives_a_typed_error()
    {
        for (var length = 0; length < Signed.Length; length++)
        {
            var (report, error) = Mutate.TryVerify(Signed.AsMemory(0, length));
            Assert.True(error is not null, $"truncated to {length} bytes: verify returned {report?.Passed} instead of an error");
        }
    }

    [RequiresFirmwareFact]
    public void Truncation_of_a_real_image_at_every_offset_gives_a_typed_error()
    {
        var bytes = File.ReadAllBytes(TestPaths.FirmwareFile("qcom", "x1e80100", "LENOVO", "21N1", "qcdxkmsuc8380.mbn"));
        for (var length = 0; length < bytes.Length; length++)
            Assert.NotNull(Mutate.TryVerify(bytes.AsMemory(0, length)).Error);
    }

    [Fact]
    public void Truncated_header_is_rejected_with_the_size_expected()
    {
        var e = Assert.Throws<FirmwareFormatException>(() => FirmwareImage.FromMemory(Signed.AsMemory(0, 30)));
        Assert.Contains("52", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_elf_file_is_rejected_naming_the_magic()
    {
        var e = Assert.Throws<FirmwareFormatException>(() => FirmwareImage.FromMemory("<html>not firmware</html>"u8.ToArray()));
        Assert.Contains("not an ELF file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_file_bytes_are_a_warning_and_the_moved_segment_fails_its_hash()
    {
        using var fw = FirmwareImage.FromMemory(Signed);
        var phoff = (int)fw.Header.PhOff;
        // segment 3's p_offset moved onto segment 2's bytes
        var bad = Mutate.With(Signed, b => Mutate.PutU32(b, phoff + (3 * 32) + 4, (uint)fw.ProgramHeaders[2].Offset + 16));
        var report = Verify(bad);
        Assert.Contains("overlap", Assert.Single(report.LayoutWarnings).Message, StringComparison.Ordinal);
        Assert.Contains(report.Failures, c => c.Kind == CheckKind.SegmentHash && c.Segment == 3);
    }

    [Fact]
    public void A_program_header_whose_range_overflows_is_rejected()
    {
        using var fw = FirmwareImage.FromMemory(Signed);
        var phoff = (int)fw.Header.PhOff;
        var bad = Mutate.With(Signed, b => Mutate.PutU32(b, phoff + (2 * 32) + 12, 0xFFFFF000)); // p_paddr near 4 GiB, p_memsz > 4 KiB
        var e = Assert.Throws<FirmwareFormatException>(() => Verify(bad));
        Assert.Contains("overflows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_header_table_beyond_the_file_is_rejected()
    {
        var bad = Mutate.With(Signed, b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(0x2C), 0xFFFF));
        var e = Assert.Throws<FirmwareFormatException>(() => Verify(bad));
        Assert.Contains("program-header table", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_size_not_divisible_by_the_phdr_count_is_rejected()
    {
        var at = Mutate.HashSegmentOffset(Signed);
        var bad = Mutate.With(Signed, b => Mutate.PutU32(b, at + 0x14, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 0x14)) - 1));
        var e = Assert.Throws<FirmwareFormatException>(() => Verify(bad));
        Assert.Contains("not divisible", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bogus_der_length_in_the_chain_is_rejected()
    {
        using var fw = FirmwareImage.FromMemory(Signed);
        var report = FirmwareVerifier.Verify(fw);
        var chainStart = Mutate.HashSegmentOffset(Signed) + report.HashSegment!.OemChainRange.Start.Value;
        var bad = Mutate.With(Signed, b => { b[chainStart + 1] = 0x82; b[chainStart + 2] = 0xFF; b[chainStart + 3] = 0xF0; });
        var e = Assert.Throws<FirmwareFormatException>(() => Verify(bad));
        Assert.Contains("certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_hash_segment_version_is_rejected()
    {
        var at = Mutate.HashSegmentOffset(Signed);
        var e = Assert.Throws<FirmwareFormatException>(() => Verify(Mutate.With(Signed, b => Mutate.PutU32(b, at + 4, 4))));
        Assert.Contains("expected 3, 5, 6 or 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsigned_image_is_a_verdict_not_bad_input()
    {
        var report = Verify(TestImages.Unsigned());
        Assert.Equal(ImageSigning.NoHashSegment, report.Signing);
        Assert.False(report.Passed);
    }

    private static VerificationReport Verify(byte[] image)
    {
        using var fw = FirmwareImage.FromMemory(image);
        return FirmwareVerifier.Verify(fw);
    }
}

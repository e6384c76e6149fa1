using System.Security.Cryptography;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Firmware.Tests.Images;

/// <summary>The ways an image's bytes reach the hasher: pread, a read-only mapping, lent memory; one or more threads.</summary>
public sealed class ImageSourceTests
{
    // Big enough that ReadChunks maps it, with an odd offset so the view starts inside a page.
    private const long Big = MappedFileSource.MapThreshold + 12_345;

    private static byte[] Random(int seed, long length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Streamed(ImageSource source, long offset, long length)
    {
        using var all = new MemoryStream();
        source.ReadChunks(offset, length, chunk =>
        {
            Assert.InRange(chunk.Length, 1, ImageSource.ChunkSize);
            all.Write(chunk);
        });
        return all.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_file_streams_the_same_bytes_in_bounded_chunks_mapped_or_read(bool memoryMap)
    {
        using var dir = new TempDirectory();
        var bytes = Random(1, Big + 5000);
        File.WriteAllBytes(dir.File("a.mbn"), bytes);
        using var source = ImageSource.OpenFile(dir.File("a.mbn"), memoryMap);
        Assert.Equal(bytes.AsSpan(4093, (int)Big).ToArray(), Streamed(source, 4093, Big));
        Assert.Equal(bytes.AsSpan(7, 100).ToArray(), Streamed(source, 7, 100));
        Assert.Empty(Streamed(source, bytes.Length, 0));
        Assert.Throws<FirmwareFormatException>(() => source.ReadChunks(5000, Big + 1, _ => { }));
    }

    [Fact]
    public void A_mapped_file_that_shrinks_afterwards_is_refused_with_the_offset_where_it_ends_not_a_crash()
    {
        using var dir = new TempDirectory();
        var bytes = Random(3, 2 * Big);
        File.WriteAllBytes(dir.File("a.mbn"), bytes);
        using var source = ImageSource.OpenFile(dir.File("a.mbn"), memoryMap: true);
        Assert.Equal(bytes.AsSpan(10, 1000).ToArray(), Streamed(source, 10, 1000));
        using (var file = new FileStream(dir.File("a.mbn"), FileMode.Open, FileAccess.ReadWrite))
            file.SetLength(Big);
        Assert.Equal(bytes.AsSpan(100, 5000).ToArray(), Streamed(source, 100, 5000));
        var error = Assert.Throws<IOException>(() => Streamed(source, Big - 10, 1000));
        Assert.Contains($"0x{Big:X}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_lends_its_bytes_in_bounded_chunks_and_refuses_ranges_outside_it()
    {
        var bytes = Random(2, 3 * ImageSource.ChunkSize + 17);
        using var source = ImageSource.FromMemory(bytes);
        Assert.Equal(bytes.AsSpan(1).ToArray(), Streamed(source, 1, bytes.Length - 1));
        Assert.Throws<FirmwareFormatException>(() => source.ReadChunks(1, bytes.Length, _ => { }));
    }

    [Fact]
    public void A_big_segment_verifies_from_a_mapped_file_and_a_flipped_byte_deep_inside_fails_that_segment_in_both_modes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.mbn");
        using (var unsigned = FirmwareImage.FromMemory(TestImages.Unsigned(3, [4096, Big, 333])))
            File.WriteAllBytes(path, FirmwareSigner.Sign(unsigned, TestImages.Keys(SigningKeyType.P384), new SignOptions { Version = 6 }));
        foreach (var map in new[] { true, false })
        {
            using var image = FirmwareImage.Open(path, memoryMap: map);
            Assert.True(FirmwareVerifier.Verify(image, new VerifyOptions { Threads = 2 }).Passed);
        }

        int bigIndex;
        using (var image = FirmwareImage.Open(path))
        {
            bigIndex = Enumerable.Range(0, image.ProgramHeaders.Count).Single(i => image.ProgramHeaders[i].FileSize == (ulong)Big);
            var (_, offset) = image.Locate(bigIndex);
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            file.Position = offset + Big - 2;
            var b = file.ReadByte();
            file.Position = offset + Big - 2;
            file.WriteByte((byte)(b ^ 0x10));
        }

        foreach (var map in new[] { true, false })
        {
            using var image = FirmwareImage.Open(path, memoryMap: map);
            var failed = Assert.Single(FirmwareVerifier.Verify(image, new VerifyOptions { Threads = 2 }).Failures);
            Assert.Equal(CheckKind.SegmentHash, failed.Kind);
            Assert.Equal($"segment {bigIndex}", failed.Subject);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Hashing_on_any_number_of_threads_gives_each_segment_its_own_digest_in_order(int threads)
    {
        var sizes = new long[] { 5000, 1, 70_000, 4096, 300_000, 12 };
        using var image = FirmwareImage.FromMemory(TestImages.Unsigned(4, sizes));
        var indices = Enumerable.Range(0, image.ProgramHeaders.Count).Where(i => image.ProgramHeaders[i].FileSize > 0).ToList();
        var digests = SegmentHasher.Hash(image, indices, HashAlgorithmName.SHA256, threads);
        for (var k = 0; k < indices.Count; k++)
        {
            var (source, offset) = image.Locate(indices[k]);
            var expected = SHA256.HashData(source.ReadBytes(offset, (int)image.ProgramHeaders[indices[k]].FileSize));
            Assert.Equal(expected, digests[k]);
        }
    }

    [Fact]
    public void A_segment_that_cannot_be_read_fails_a_parallel_hash_with_its_own_error_not_a_wrapped_one()
    {
        using var dir = new TempDirectory();
        using (var whole = FirmwareImage.FromMemory(TestImages.Signed(6, SigningKeyType.P384, unsignedImage: TestImages.Unsigned(5, [4096, 70_000, 5000, 333]))))
            ImageFiles.Split(whole, dir.Path, "fw");
        File.Delete(dir.File("fw.b03"));
        using var image = FirmwareImage.Open(dir.File("fw.mdt"));
        var indices = Enumerable.Range(1, image.ProgramHeaders.Count - 1).Where(i => image.ProgramHeaders[i].FileSize > 0 && i != image.HashSegmentIndex).ToList();
        var error = Record.Exception(() => SegmentHasher.Hash(image, indices, HashAlgorithmName.SHA384, threads: 2));
        Assert.NotNull(error);
        Assert.IsNotType<AggregateException>(error);
        Assert.Contains("fw.b03", error.Message, StringComparison.Ordinal);
    }
}

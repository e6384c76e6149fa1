using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Xunit;

namespace Qtz.Firmware.Tests.Images;

/// <summary>Verify hashes the segments in the background while it checks the signatures on the calling thread.</summary>
public sealed class SegmentHashingTests
{
    private static readonly long[] Sizes = [300_000, 70_000, 5000, 1, 120_000];

    private static byte[] SignedImage() => TestImages.Signed(6, SigningKeyType.P384, unsignedImage: TestImages.Unsigned(5, Sizes));

    private static string[] ChecksOf(byte[] bytes, int threads)
    {
        using var image = FirmwareImage.FromMemory(bytes);
        return FirmwareVerifier.Verify(image, new VerifyOptions { Threads = threads }).Checks.Select(c => c.ToString()).ToArray();
    }

    [Fact]
    public void Verifying_on_several_threads_reports_the_same_checks_in_the_same_order_as_on_one()
    {
        var good = SignedImage();
        var tampered = Mutate.With(good, b => b[^3] ^= 0x40);
        foreach (var bytes in new[] { good, tampered })
        {
            var one = ChecksOf(bytes, 1);
            Assert.Equal(one, ChecksOf(bytes, 2));
            Assert.Equal(one, ChecksOf(bytes, 4));
        }

        Assert.Contains(ChecksOf(tampered, 2), c => c.StartsWith("FAILED", StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_certificate_chain_refuses_the_image_and_leaves_no_hashing_running_behind_it()
    {
        var bad = Mutate.With(SignedImage(), b =>
        {
            using var probe = FirmwareImage.FromMemory(b.ToArray());
            var segment = HashSegment.Parse(probe.Main.ReadBytes((long)probe.ProgramHeaders[probe.HashSegmentIndex].Offset,
                (int)probe.ProgramHeaders[probe.HashSegmentIndex].FileSize), probe.ProgramHeaders.Count);
            b[Mutate.HashSegmentOffset(b) + segment.ChainOffset(Signer.Oem)] ^= 0xFF;
        });

        long chunks = 0;
        using var image = FirmwareImage.FromMemory(bad);
        var options = new VerifyOptions { Threads = 3, Progress = _ => Interlocked.Increment(ref chunks) };
        var error = Assert.Throws<FirmwareFormatException>(() => FirmwareVerifier.Verify(image, options));
        Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);

        var seen = Interlocked.Read(ref chunks);
        Thread.Sleep(50);
        Assert.Equal(seen, Interlocked.Read(ref chunks));
    }

    [Fact]
    public void Hashing_that_is_abandoned_stops_its_workers_and_cannot_be_finished_afterwards()
    {
        using var image = FirmwareImage.FromMemory(TestImages.Unsigned(4, [4 << 20, 3 << 20, 2 << 20]));
        var indices = Enumerable.Range(0, image.ProgramHeaders.Count).Where(i => image.ProgramHeaders[i].FileSize > 0).ToList();
        long chunks = 0;
        var hashing = SegmentHasher.Start(image, indices, System.Security.Cryptography.HashAlgorithmName.SHA384, threads: 3, _ => Interlocked.Increment(ref chunks));
        hashing.Dispose();
        var seen = Interlocked.Read(ref chunks);
        Thread.Sleep(50);
        Assert.Equal(seen, Interlocked.Read(ref chunks));
        Assert.Throws<ObjectDisposedException>(() => hashing.Finish());
    }
}

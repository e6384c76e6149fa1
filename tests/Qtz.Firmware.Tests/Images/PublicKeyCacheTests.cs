using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Tests.Support;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Writers;
using Xunit;

namespace Qtz.Firmware.Tests.Images;

/// <summary>A signature memo imports each public key once, and a cached key judges exactly as a fresh one.</summary>
public sealed class PublicKeyCacheTests
{
    private static byte[] Signed(SigningKeys keys, uint softwareId, int seed)
    {
        using var image = FirmwareImage.FromMemory(new UnsignedImageBuilder { SegmentSizes = [5000, 700], Seed = seed }.Build());
        return FirmwareSigner.Sign(image, keys, new SignOptions { Version = 6, SoftwareId = softwareId });
    }

    private static string[] Checks(byte[] bytes, SignatureCheckCache? memo)
    {
        using var image = FirmwareImage.FromMemory(bytes);
        return FirmwareVerifier.Verify(image, new VerifyOptions { SignatureCache = memo }).Checks.Select(c => c.ToString()).ToArray();
    }

    [Theory]
    [InlineData(SigningKeyType.P384)]
    [InlineData(SigningKeyType.Rsa2048)]
    public void Images_signed_by_one_key_set_import_its_root_ca_and_attestation_keys_once_and_verify_as_without_the_memo(SigningKeyType type)
    {
        using var keys = SigningKeys.Generate(type);
        var images = Enumerable.Range(1, 4).Select(i => Signed(keys, (uint)(0x10 + i), i)).ToList();
        var tampered = Mutate.With(images[0], b => b[Mutate.HashSegmentOffset(b) + 200] ^= 1);
        var memo = new SignatureCheckCache();
        foreach (var bytes in images.Append(tampered))
            Assert.Equal(Checks(bytes, null), Checks(bytes, memo));
        Assert.Equal(3, memo.Keys.Count);
    }

    [Fact]
    public void One_memo_serves_verifications_on_several_threads_at_once()
    {
        using var keys = SigningKeys.Generate(SigningKeyType.P384);
        var images = Enumerable.Range(1, 6).Select(i => Signed(keys, 0x20, i)).ToArray();
        var memo = new SignatureCheckCache();
        var passed = new bool[images.Length * 4];
        Parallel.For(0, passed.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            using var image = FirmwareImage.FromMemory(images[k % images.Length]);
            passed[k] = FirmwareVerifier.Verify(image, new VerifyOptions { SignatureCache = memo }).Passed;
        });
        Assert.All(passed, Assert.True);
    }
}

using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;

namespace Qtz.Firmware.Tests.Support;

/// <summary>Generated key sets (made once: RSA key generation is slow) and signed images built from them.</summary>
public static class TestImages
{
    private static readonly Lazy<SigningKeys> RsaKeys = new(() => SigningKeys.Generate(SigningKeyType.Rsa2048));
    private static readonly Lazy<SigningKeys> EcKeys = new(() => SigningKeys.Generate(SigningKeyType.P384));

    public static SigningKeys Keys(SigningKeyType type) => type == SigningKeyType.Rsa2048 ? RsaKeys.Value : EcKeys.Value;

    public static byte[] Unsigned(int seed = 1, IReadOnlyList<long>? sizes = null) =>
        new UnsignedImageBuilder { Seed = seed, SegmentSizes = sizes ?? [4096, 1000, 333] }.Build();

    public static byte[] Signed(int version, SigningKeyType type, uint softwareId = 0x17, uint rollback = 0, byte[]? unsignedImage = null)
    {
        using var image = FirmwareImage.FromMemory(unsignedImage ?? Unsigned());
        return FirmwareSigner.Sign(image, Keys(type), new SignOptions { Version = version, SoftwareId = softwareId, AntiRollbackVersion = rollback });
    }
}

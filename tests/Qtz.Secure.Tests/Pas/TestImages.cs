using System.Buffers.Binary;
using Qtz.Firmware;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;
using Qtz.Firmware.Mdt;

namespace Qtz.Secure.Tests.Pas;

/// <summary>Test-signed images made with Qtz.Firmware's signer and shared test keys (generated once per run).</summary>
internal static class TestImages
{
    private static readonly Lazy<SigningKeys> P384 = new(() => SigningKeys.Generate(SigningKeyType.P384));
    private static readonly Lazy<SigningKeys> OtherP384 = new(() => SigningKeys.Generate(SigningKeyType.P384));
    private static readonly Lazy<SigningKeys> Rsa = new(() => SigningKeys.Generate(SigningKeyType.Rsa2048));

    public static SigningKeys Keys => P384.Value;

    /// <summary>Keys of a root the default fuses do not trust.</summary>
    public static SigningKeys UntrustedKeys => OtherP384.Value;

    public static SigningKeys RsaKeys => Rsa.Value;

    /// <summary>A signed, relocatable image linked at 0x8B00_0000: two PT_LOAD segments with ZI tails and a BSS segment.</summary>
    public static byte[] Signed(uint softwareId, int version = 6, uint antiRollback = 0, SigningKeys? keys = null, IReadOnlyList<long>? sizes = null, uint? entry = null)
    {
        var unsigned = new UnsignedImageBuilder { SegmentSizes = sizes ?? [0x3000, 1000] }.Build();
        if (entry is { } e) BinaryPrimitives.WriteUInt32LittleEndian(unsigned.AsSpan(0x18), e); // ELF32 e_entry, signed over
        using var image = FirmwareImage.FromMemory(unsigned);
        return FirmwareSigner.Sign(image, keys ?? Keys, new SignOptions { Version = version, SoftwareId = softwareId, AntiRollbackVersion = antiRollback });
    }

    public static MdtMetadata Metadata(byte[] signed)
    {
        using var image = FirmwareImage.FromMemory(signed);
        return MdtMetadata.Build(image);
    }
}

using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;

namespace Qtz.Firmware.Verification;

/// <summary>What an image says about itself (no segment hashing, no signature checks): for `fw info`.</summary>
public sealed record ImageDescription(
    FirmwareImage Image,
    int HashSegmentIndex,
    HashSegment? HashSegment,
    IReadOnlyList<SignerReport> Signers,
    uint? SoftwareId,
    uint? AntiRollbackVersion);

public static class FirmwareInspector
{
    /// <summary>Parses the hash segment and certificate chains when present; an unsigned image gives only the ELF part.</summary>
    public static ImageDescription Describe(FirmwareImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.HashSegmentIndex < 0)
            return new ImageDescription(image, -1, null, [], null, null);
        var metadata = MdtMetadata.Build(image);
        var segment = HashSegment.Parse(metadata.HashSegmentBytes.ToArray(), image.ProgramHeaders.Count);
        var signers = segment.Signers.Select(s => ChainVerifier.Describe(segment, s)).ToList();
        var primary = signers.FirstOrDefault(s => s.Signer == Signer.Oem) ?? signers.FirstOrDefault();
        return new ImageDescription(image, metadata.HashSegmentIndex, segment, signers,
            primary is null ? null : FirmwareVerifier.SoftwareIdOf(segment, primary),
            primary is null ? null : FirmwareVerifier.RollbackOf(segment, primary));
    }
}

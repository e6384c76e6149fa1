using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Verification;

/// <summary>What an image says about itself (no segment hashing, no signature checks): for `fw info`.</summary>
public sealed record ImageDescription(
    FirmwareImage Image,
    int HashSegmentIndex,
    HashSegment? HashSegment,
    IReadOnlyList<SignerReport> Signers,
    uint? SoftwareId,
    uint? AntiRollbackVersion,
    IReadOnlyList<Elf.LayoutWarning> Warnings)
{
    public ImageSigning Signing => HashSegment is null ? ImageSigning.NoHashSegment : Signers.Count == 0 ? ImageSigning.HashOnly : ImageSigning.Signed;
}

public static class FirmwareInspector
{
    /// <summary>Parses the hash segment and certificate chains when present; an unsigned image gives only the ELF part.</summary>
    public static ImageDescription Describe(FirmwareImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var warnings = Elf.SegmentLayout.Check(image.Elf);
        if (!image.HasHashSegment)
            return new ImageDescription(image, image.HashSegmentIndex, null, [], null, null, warnings);
        var metadata = MdtMetadata.Build(image);
        var segment = HashSegment.Parse(metadata.HashSegmentBytes.ToArray(), image.ProgramHeaders.Count);
        var signers = segment.Signers.Select(s => ChainVerifier.Describe(segment, s)).ToList();
        var primary = signers.FirstOrDefault(s => s.Signer == Signer.Oem) ?? signers.FirstOrDefault();
        var hasSoftwareId = primary is not null || segment.MetadataSoftwareId is not null;
        return new ImageDescription(image, metadata.HashSegmentIndex, segment, signers,
            hasSoftwareId ? FirmwareVerifier.SoftwareIdOf(segment, primary) : null,
            hasSoftwareId ? FirmwareVerifier.RollbackOf(segment, primary) : null, warnings);
    }
}

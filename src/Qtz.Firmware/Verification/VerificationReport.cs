using Qtz.Firmware.Elf;
using Qtz.Firmware.HashSegments;

namespace Qtz.Firmware.Verification;

/// <summary>What an image carries to be checked against: a result, never bad input.</summary>
public enum ImageSigning
{
    /// <summary>A hash segment with at least one signature.</summary>
    Signed,

    /// <summary>A hash segment whose QTI and OEM signature sizes are both 0: hashes only.</summary>
    HashOnly,

    /// <summary>No hash-segment program header, or an empty one (p_filesz 0).</summary>
    NoHashSegment,
}

/// <summary>The result of verifying an image: every check in order, plus what was found.</summary>
public sealed record VerificationReport(
    HashSegment? HashSegment,
    int HashSegmentIndex,
    IReadOnlyList<SignerReport> Signers,
    uint SoftwareId,
    uint AntiRollbackVersion,
    IReadOnlyList<VerificationCheck> Checks,
    ImageSigning Signing = ImageSigning.Signed,
    IReadOnlyList<LayoutWarning>? Warnings = null)
{
    /// <summary>False for a hash-only v3/v5 image: its SW_ID would be in the certificate it does not have.</summary>
    public bool HasSoftwareId => Signers.Count > 0 || HashSegment?.MetadataSoftwareId is not null;

    /// <summary>Layout oddities Linux loads anyway (overlaps); never a failure.</summary>
    public IReadOnlyList<LayoutWarning> LayoutWarnings => Warnings ?? [];

    /// <summary>True when no check failed (skipped checks do not count), whatever the image carries.</summary>
    public bool ChecksPassed => Checks.All(c => c.Status != CheckStatus.Failed);

    /// <summary>True only for a signed image whose every check passed: hash-only and unsigned images do not pass.</summary>
    public bool Passed => Signing == ImageSigning.Signed && ChecksPassed;

    public IEnumerable<VerificationCheck> Failures => Checks.Where(c => c.Status == CheckStatus.Failed);

    public VerificationCheck? FirstFailure => Failures.FirstOrDefault();

    /// <summary>The one-line verdict `fw verify` prints (and the reason for its exit 1).</summary>
    public string Summary
    {
        get
        {
            var counted = Checks.Count(c => c.Status != CheckStatus.Skipped);
            var entries = Checks.Count(c => c.Status == CheckStatus.Passed && c.Kind is CheckKind.SegmentHash or CheckKind.HashSegmentEntryZero or CheckKind.EmptySegmentEntryZero);
            return (Signing, ChecksPassed) switch
            {
                (ImageSigning.NoHashSegment, _) => "no hash segment",
                (ImageSigning.HashOnly, true) => $"hash-only: all {entries} segment hashes match, no signature",
                (ImageSigning.HashOnly, false) => $"FAILED: {Failures.Count()} of {counted} checks failed (hash-only, no signature)",
                (_, true) => $"OK: all {counted} checks passed",
                _ => $"FAILED: {Failures.Count()} of {counted} checks failed",
            };
        }
    }
}

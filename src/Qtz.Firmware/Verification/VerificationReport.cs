using Qtz.Firmware.HashSegments;

namespace Qtz.Firmware.Verification;

/// <summary>The result of verifying an image: every check in order, plus what was found.</summary>
public sealed record VerificationReport(
    HashSegment HashSegment,
    int HashSegmentIndex,
    IReadOnlyList<SignerReport> Signers,
    uint SoftwareId,
    uint AntiRollbackVersion,
    IReadOnlyList<VerificationCheck> Checks)
{
    /// <summary>True when no check failed (skipped checks do not count).</summary>
    public bool Passed => Checks.All(c => c.Status != CheckStatus.Failed);

    public IEnumerable<VerificationCheck> Failures => Checks.Where(c => c.Status == CheckStatus.Failed);

    public VerificationCheck? FirstFailure => Failures.FirstOrDefault();
}

namespace Qtz.Firmware.Verification;

public enum CheckStatus
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>What a check is about, so callers and tests can find "the right check".</summary>
public enum CheckKind
{
    SegmentHash,
    HashSegmentEntryZero,
    EmptySegmentEntryZero,
    CertificateLink,
    RootSelfSigned,
    ChainPadding,
    ImageSignature,
    TrailingPadding,
    RootHash,
    SoftwareId,
    AntiRollback,
}

/// <summary>One check of a verification, with its subject (segment index or signer) and a human-readable detail.</summary>
public sealed record VerificationCheck(CheckKind Kind, CheckStatus Status, string Subject, string Detail, int? Segment = null)
{
    public override string ToString() => $"{Status.ToString().ToUpperInvariant(),-7} {Kind} {Subject}: {Detail}";
}

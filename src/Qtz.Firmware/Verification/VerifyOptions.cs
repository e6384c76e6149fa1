namespace Qtz.Firmware.Verification;

/// <summary>Policy for <see cref="FirmwareVerifier"/>: all optional; without them only the image's own consistency is checked.</summary>
public sealed record VerifyOptions
{
    /// <summary>Accepted root hashes: SHA-384 (48 bytes) or SHA-256 (32 bytes) of a root certificate's DER.</summary>
    public IReadOnlyList<byte[]> PinnedRootHashes { get; init; } = [];

    /// <summary>When set, the image's SW_ID must be the one TrustZone expects for this PAS id.</summary>
    public uint? PasId { get; init; }

    /// <summary>When set, the image's anti-rollback version must be at least this.</summary>
    public uint? MinimumRollbackVersion { get; init; }

    /// <summary>
    /// Check only what the INIT_IMAGE metadata blob holds (entry 0 over the ELF header, chains, signatures,
    /// policy); other segments are reported as skipped, to be hashed from memory at AUTH_AND_RESET.
    /// </summary>
    public bool MetadataOnly { get; init; }

    /// <summary>Segments hashed in parallel (1 = single-threaded).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Optional caller-owned cache of public-key verification results.</summary>
    public SignatureCheckCache? SignatureCache { get; init; }

    /// <summary>Hashing progress in [0, 1].</summary>
    public Action<double>? Progress { get; init; }
}

namespace Qtz.Secure.Pas;

/// <summary>
/// The secure-boot fuse bank PAS consults (firmware-formats.md §2.7, §4.3): the trusted root hashes
/// (SHA-384 or SHA-256 of a root certificate's DER), the PIL anti-rollback floor, and whether
/// secure boot is enforced. With enforcement off (an unfused part) an authentication failure is
/// reported as a <see cref="PasEvent"/> but does not refuse the image — structural errors, a wrong
/// call order and the in-place segment hashes still refuse (qtz decision; OP-TEE skips only the
/// signature-related checks when the fuse is unset).
/// </summary>
public sealed class SecureBootFuses
{
    private readonly Lock _gate = new();
    private uint _rollbackFloor;

    public SecureBootFuses(IEnumerable<byte[]> trustedRootHashes, uint rollbackFloor = 0, bool enforce = true)
    {
        ArgumentNullException.ThrowIfNull(trustedRootHashes);
        var roots = trustedRootHashes.Select(h => (byte[])h.Clone()).ToArray();
        if (roots.Any(h => h.Length is not (32 or 48)))
            throw new ArgumentException("a trusted root hash is the 32-byte SHA-256 or 48-byte SHA-384 of a root certificate", nameof(trustedRootHashes));
        TrustedRootHashes = roots;
        _rollbackFloor = rollbackFloor;
        Enforce = enforce;
    }

    /// <summary>An unfused part: nothing trusted, nothing enforced.</summary>
    public static SecureBootFuses Unfused() => new([], 0, enforce: false);

    public IReadOnlyList<byte[]> TrustedRootHashes { get; }

    /// <summary>Whether authentication failures refuse the image (the secure-boot fuse is blown).</summary>
    public bool Enforce { get; }

    /// <summary>When set, a successful AUTH_AND_RESET of a newer image raises <see cref="RollbackFloor"/> (OP-TEE's "commit").</summary>
    public bool CommitRollback { get; init; }

    /// <summary>The fused PIL rollback version: images with a lower anti-rollback version are refused.</summary>
    public uint RollbackFloor
    {
        get { lock (_gate) return _rollbackFloor; }
    }

    public bool IsTrusted(ReadOnlySpan<byte> rootSha256, ReadOnlySpan<byte> rootSha384)
    {
        foreach (var h in TrustedRootHashes)
        {
            if (h.AsSpan().SequenceEqual(rootSha384) || h.AsSpan().SequenceEqual(rootSha256)) return true;
        }

        return false;
    }

    /// <summary>Blows rollback fuses up to <paramref name="version"/> (fuses only ever go up).</summary>
    internal void RaiseRollbackFloor(uint version)
    {
        lock (_gate)
        {
            if (version > _rollbackFloor) _rollbackFloor = version;
        }
    }
}

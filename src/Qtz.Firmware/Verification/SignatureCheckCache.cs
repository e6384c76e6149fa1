using System.Collections.Concurrent;
using System.Security.Cryptography;
using Qtz.Firmware.Certificates;
using Qtz.Firmware.Signing;

namespace Qtz.Firmware.Verification;

/// <summary>
/// Remembers public-key verification results keyed by a SHA-256 of (kind, key, message, signature), so a
/// caller that verifies the same chain many times (a simulation re-authenticating an image, a fuzzer)
/// pays for each distinct signature once. Owned by the caller; nothing is shared globally. A cached
/// answer is exactly the answer a fresh check gives: the key covers every byte the check reads.
/// </summary>
public sealed class SignatureCheckCache
{
    private readonly ConcurrentDictionary<UInt128, bool> results = new();

    public int Count => results.Count;

    public bool GetOrVerify(string kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, Func<bool> verify)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(verify);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(kind));
        Span<byte> lengths = stackalloc byte[12];
        BitConverter.TryWriteBytes(lengths, key.Length);
        BitConverter.TryWriteBytes(lengths[4..], message.Length);
        BitConverter.TryWriteBytes(lengths[8..], signature.Length);
        hash.AppendData(lengths);
        hash.AppendData(key);
        hash.AppendData(message);
        hash.AppendData(signature);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        var id = BitConverter.ToUInt128(digest);
        if (results.TryGetValue(id, out var known))
            return known;
        var result = verify();
        results[id] = result;
        return result;
    }
}

/// <summary>Signature checks through an optional <see cref="SignatureCheckCache"/>: null checks afresh every time.</summary>
public static class SignatureChecks
{
    /// <summary>Whether <paramref name="subject"/>'s signature verifies with <paramref name="issuer"/>'s key.</summary>
    public static bool IsSignedBy(this SignatureCheckCache? cache, Certificate subject, Certificate issuer)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(issuer);
        if (cache is null) return subject.IsSignedBy(issuer);
        var algorithm = subject.SignatureAlgorithm.Oid + Convert.ToHexString(subject.SignatureAlgorithm.Parameters ?? []);
        return cache.GetOrVerify(algorithm, issuer.SubjectPublicKeyInfo, subject.ToBeSigned, subject.SignatureValue, () => subject.IsSignedBy(issuer));
    }

    /// <summary><see cref="ImageSignature.Verify"/>; the identity's SW_ID and HW_ID are part of the cache key (the legacy scheme hashes them in).</summary>
    public static bool VerifyImage(this SignatureCheckCache? cache, ImageSignatureScheme scheme, byte[] message, byte[] signature, Certificate leaf, AttestationIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(identity);
        if (cache is null) return ImageSignature.Verify(scheme, message, signature, leaf, identity);
        return cache.GetOrVerify($"{scheme}/{identity.SoftwareId}/{identity.HardwareId}", leaf.SubjectPublicKeyInfo, message, signature,
            () => ImageSignature.Verify(scheme, message, signature, leaf, identity));
    }
}

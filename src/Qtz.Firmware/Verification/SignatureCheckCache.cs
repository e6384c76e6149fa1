using System.Collections.Concurrent;
using System.Security.Cryptography;
using Qtz.Firmware.Certificates;
using Qtz.Firmware.Signing;

namespace Qtz.Firmware.Verification;

/// <summary>
/// Remembers public-key verification results keyed by a SHA-256 of (kind, key, message, signature), so a
/// caller that verifies the same chain many times (a simulation re-authenticating an image, a fuzzer)
/// pays for each distinct signature once. The result of a verification is a pure function of those
/// inputs, so remembering it changes only the host's time. Owned by the caller; nothing is shared
/// globally. A cache given a capacity forgets everything when it fills (fuzzers make endless distinct inputs).
/// </summary>
public sealed class SignatureCheckCache(int capacity = int.MaxValue)
{
    private readonly ConcurrentDictionary<UInt128, bool> results = new();

    public int Count => results.Count;

    /// <summary>The public keys the checks import, once per distinct key (distinct signatures by one CA share it).</summary>
    public PublicKeyCache Keys { get; } = new();

    /// <summary><see cref="Certificate.IsSignedBy"/>, remembered.</summary>
    public bool IsSignedBy(Certificate subject, Certificate issuer)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(issuer);
        return GetOrVerify(subject.SignatureAlgorithm.Oid + Convert.ToHexString(subject.SignatureAlgorithm.Parameters ?? []),
            issuer.SubjectPublicKeyInfo, subject.ToBeSigned, subject.SignatureValue, () => subject.IsSignedBy(issuer, Keys));
    }

    /// <summary><see cref="ImageSignature.Verify"/>, remembered.</summary>
    public bool VerifyImage(ImageSignatureScheme scheme, byte[] message, byte[] signature, Certificate leaf, AttestationIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(identity);
        return GetOrVerify($"{scheme}/{identity.SoftwareId}/{identity.HardwareId}", leaf.SubjectPublicKeyInfo, message, signature,
            () => ImageSignature.Verify(scheme, message, signature, leaf, identity, Keys));
    }

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
        if (results.Count >= capacity) results.Clear();
        results[id] = result;
        return result;
    }
}

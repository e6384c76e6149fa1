using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Qtz.Firmware.Verification;

/// <summary>
/// Remembers public-key verification results keyed by a SHA-256 of (kind, key, message, signature), so a
/// caller that verifies the same chain many times (a simulation re-authenticating an image, a fuzzer)
/// pays for each distinct signature once. Owned by the caller; nothing is shared globally.
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

using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Qtz.Firmware.Certificates;

/// <summary>
/// Public keys imported once per distinct SubjectPublicKeyInfo. Importing an EC key is not free: OpenSSL
/// checks the point (a scalar multiplication by the group order), which for P-384 costs about as much
/// as verifying a signature, and a board's five images share their CA and attestation keys. Keys are
/// lent one caller at a time (<see cref="Lease"/>), so one cache can serve several threads. Owned by
/// the caller, like <see cref="Verification.SignatureCheckCache"/> that holds one.
/// </summary>
public sealed class PublicKeyCache(int capacity = 256) : IDisposable
{
    private readonly ConcurrentDictionary<string, AsymmetricAlgorithm> keys = new(StringComparer.Ordinal);

    /// <summary>How many distinct keys are held.</summary>
    public int Count => keys.Count;

    /// <summary>The key of <paramref name="certificate"/>, imported at its first use; the lease must be disposed.</summary>
    public PublicKeyLease Lease(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var id = Convert.ToBase64String(certificate.SubjectPublicKeyInfo);
        if (!keys.TryGetValue(id, out var key))
        {
            if (keys.Count >= capacity) Clear();
            var imported = certificate.ImportPublicKey();
            key = keys.GetOrAdd(id, imported);
            if (!ReferenceEquals(key, imported)) imported.Dispose();
        }

        return new PublicKeyLease(key, owned: false);
    }

    private void Clear()
    {
        // Keys still lent stay usable: a cleared key is dropped, not disposed, and the GC finalises it.
        keys.Clear();
    }

    public void Dispose() => Clear();
}

/// <summary>
/// A public key for one verification: a fresh import the lease disposes, or a cached key held under its
/// lock until the lease ends (instances of .NET's key classes are not documented as thread-safe).
/// </summary>
public readonly struct PublicKeyLease : IDisposable
{
    private readonly bool owned;

    internal PublicKeyLease(AsymmetricAlgorithm key, bool owned)
    {
        Key = key;
        this.owned = owned;
        if (!owned) Monitor.Enter(key);
    }

    public AsymmetricAlgorithm Key { get; }

    /// <summary>A lease of a key nobody else holds: imported for this use and disposed after it.</summary>
    public static PublicKeyLease Fresh(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new PublicKeyLease(certificate.ImportPublicKey(), owned: true);
    }

    public void Dispose()
    {
        if (Key is null) return;
        if (owned) Key.Dispose();
        else Monitor.Exit(Key);
    }
}

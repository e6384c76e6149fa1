using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Qtz.Firmware.Certificates;

/// <summary>An X.509 AlgorithmIdentifier, with what is needed to verify a certificate signature.</summary>
public sealed record AlgorithmIdentifier(string Oid, byte[]? Parameters)
{
    public string Name => Oid switch
    {
        Oids.Sha256WithRsa => "sha256WithRSAEncryption",
        Oids.Sha384WithRsa => "sha384WithRSAEncryption",
        Oids.RsassaPss => "RSASSA-PSS",
        Oids.EcdsaWithSha256 => "ecdsa-with-SHA256",
        Oids.EcdsaWithSha384 => "ecdsa-with-SHA384",
        _ => Oid,
    };

    public bool SameAs(AlgorithmIdentifier other) =>
        other is not null && Oid == other.Oid && (Parameters ?? []).AsSpan().SequenceEqual(other.Parameters ?? []);

    internal static AlgorithmIdentifier Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var oid = sequence.ReadObjectIdentifier();
        var parameters = sequence.HasData ? sequence.ReadEncodedValue().ToArray() : null;
        sequence.ThrowIfNotEmpty();
        return new AlgorithmIdentifier(oid, parameters);
    }

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/> with the key of <paramref name="signer"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, Certificate signer, PublicKeyCache? keys = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        switch (Oid)
        {
            case Oids.Sha256WithRsa or Oids.Sha384WithRsa when signer.IsRsaKey:
            {
                using var lease = keys?.Lease(signer) ?? PublicKeyLease.Fresh(signer);
                var rsa = (RSA)lease.Key;
                var hash = Oid == Oids.Sha256WithRsa ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
                return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
            }

            case Oids.RsassaPss when signer.IsRsaKey:
            {
                var (hash, consistent) = PssParameters();
                if (!consistent)
                    return false;
                using var lease = keys?.Lease(signer) ?? PublicKeyLease.Fresh(signer);
                var rsa = (RSA)lease.Key;
                return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pss);
            }

            case Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 when signer.IsEcKey:
            {
                using var lease = keys?.Lease(signer) ?? PublicKeyLease.Fresh(signer);
                var ec = (ECDsa)lease.Key;
                var hash = Oid == Oids.EcdsaWithSha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
                return ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }

            default:
                return false;
        }
    }

    /// <summary>
    /// The hash of RSASSA-PSS-params, and whether the parameters are ones .NET verifies exactly: MGF1 with
    /// the same hash, salt length = hash length, trailer 1 (RFC 4055 defaults: SHA-1, MGF1-SHA-1, 20, 1).
    /// </summary>
    public (HashAlgorithmName Hash, bool Consistent) PssParameters()
    {
        if (Parameters is null)
            return (HashAlgorithmName.SHA1, true);
        try
        {
            var p = new AsnReader(Parameters, AsnEncodingRules.DER).ReadSequence();
            string hashOid = Oids.Sha1, mgfHashOid = Oids.Sha1;
            var salt = 20;
            var trailer = 1;
            var tag = new Asn1Tag(TagClass.ContextSpecific, 0, true);
            if (p.HasData && p.PeekTag().HasSameClassAndValue(tag))
                hashOid = Read(p.ReadSequence(tag)).Oid;
            tag = new Asn1Tag(TagClass.ContextSpecific, 1, true);
            if (p.HasData && p.PeekTag().HasSameClassAndValue(tag))
            {
                var mgf = Read(p.ReadSequence(tag));
                if (mgf.Oid != Oids.Mgf1 || mgf.Parameters is null)
                    return (HashAlgorithmName.SHA1, false);
                mgfHashOid = Read(new AsnReader(mgf.Parameters, AsnEncodingRules.DER)).Oid;
            }

            tag = new Asn1Tag(TagClass.ContextSpecific, 2, true);
            if (p.HasData && p.PeekTag().HasSameClassAndValue(tag) && !p.ReadSequence(tag).TryReadInt32(out salt))
                return (HashAlgorithmName.SHA1, false);
            tag = new Asn1Tag(TagClass.ContextSpecific, 3, true);
            if (p.HasData && p.PeekTag().HasSameClassAndValue(tag) && !p.ReadSequence(tag).TryReadInt32(out trailer))
                return (HashAlgorithmName.SHA1, false);
            p.ThrowIfNotEmpty();
            var (hash, length) = hashOid switch
            {
                Oids.Sha256 => (HashAlgorithmName.SHA256, 32),
                Oids.Sha384 => (HashAlgorithmName.SHA384, 48),
                Oids.Sha1 => (HashAlgorithmName.SHA1, 20),
                _ => (HashAlgorithmName.SHA1, -1),
            };
            return (hash, length > 0 && mgfHashOid == hashOid && salt == length && trailer == 1);
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException)
        {
            throw new FirmwareFormatException($"malformed RSASSA-PSS parameters: {e.Message}", e);
        }
    }
}

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

    internal static AlgorithmIdentifier Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var oid = sequence.ReadObjectIdentifier();
        var parameters = sequence.HasData ? sequence.ReadEncodedValue().ToArray() : null;
        sequence.ThrowIfNotEmpty();
        return new AlgorithmIdentifier(oid, parameters);
    }

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/> with the key of <paramref name="signer"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, Certificate signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        switch (Oid)
        {
            case Oids.Sha256WithRsa or Oids.Sha384WithRsa when signer.IsRsaKey:
            {
                using var rsa = signer.GetRsaPublicKey();
                var hash = Oid == Oids.Sha256WithRsa ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
                return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
            }

            case Oids.RsassaPss when signer.IsRsaKey:
            {
                using var rsa = signer.GetRsaPublicKey();
                return rsa.VerifyData(data, signature, PssHash(), RSASignaturePadding.Pss);
            }

            case Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 when signer.IsEcKey:
            {
                using var ec = signer.GetECDsaPublicKey();
                var hash = Oid == Oids.EcdsaWithSha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
                return ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }

            default:
                return false;
        }
    }

    /// <summary>The PSS hash from RSASSA-PSS-params (hashAlgorithm [0], default SHA-1).</summary>
    public HashAlgorithmName PssHash()
    {
        if (Parameters is null)
            return HashAlgorithmName.SHA1;
        try
        {
            var p = new AsnReader(Parameters, AsnEncodingRules.DER).ReadSequence();
            var tag0 = new Asn1Tag(TagClass.ContextSpecific, 0, true);
            if (!p.HasData || !p.PeekTag().HasSameClassAndValue(tag0))
                return HashAlgorithmName.SHA1;
            var hash = Read(p.ReadSequence(tag0));
            return hash.Oid switch
            {
                Oids.Sha256 => HashAlgorithmName.SHA256,
                Oids.Sha384 => HashAlgorithmName.SHA384,
                _ => HashAlgorithmName.SHA1,
            };
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException)
        {
            throw new FirmwareFormatException($"malformed RSASSA-PSS parameters: {e.Message}", e);
        }
    }
}

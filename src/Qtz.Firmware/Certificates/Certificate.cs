using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Qtz.Firmware.Certificates;

/// <summary>
/// An X.509 certificate from a hash segment chain, parsed just far enough to check signatures and read
/// names: the DER bytes, the to-be-signed part, the signature algorithm and value, subject and issuer
/// attributes, and the subject public key.
/// </summary>
public sealed class Certificate
{
    private Certificate(byte[] der, byte[] tbs, AlgorithmIdentifier signatureAlgorithm, AlgorithmIdentifier tbsSignatureAlgorithm, byte[] signature,
        DistinguishedName issuer, DistinguishedName subject, byte[] subjectPublicKeyInfo, string publicKeyAlgorithm)
    {
        Der = der;
        ToBeSigned = tbs;
        SignatureAlgorithm = signatureAlgorithm;
        TbsSignatureAlgorithm = tbsSignatureAlgorithm;
        SignatureValue = signature;
        Issuer = issuer;
        Subject = subject;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        PublicKeyAlgorithmOid = publicKeyAlgorithm;
    }

    public byte[] Der { get; }
    public byte[] ToBeSigned { get; }
    public AlgorithmIdentifier SignatureAlgorithm { get; }

    /// <summary>The signature algorithm named inside the signed part; RFC 5280 requires it to equal <see cref="SignatureAlgorithm"/>.</summary>
    public AlgorithmIdentifier TbsSignatureAlgorithm { get; }
    public byte[] SignatureValue { get; }
    public DistinguishedName Issuer { get; }
    public DistinguishedName Subject { get; }
    public byte[] SubjectPublicKeyInfo { get; }
    public string PublicKeyAlgorithmOid { get; }

    public bool IsRsaKey => PublicKeyAlgorithmOid == Oids.RsaEncryption;
    public bool IsEcKey => PublicKeyAlgorithmOid == Oids.EcPublicKey;

    public string KeyDescription => IsRsaKey ? $"RSA-{RsaKeyBits()}" : IsEcKey ? "EC " + EcCurve() : PublicKeyAlgorithmOid;

    /// <summary>Parses one DER certificate; every structural problem is a <see cref="FirmwareFormatException"/> naming <paramref name="where"/>.</summary>
    public static Certificate Parse(byte[] der, string where)
    {
        ArgumentNullException.ThrowIfNull(der);
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var certificate = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var tbs = certificate.ReadEncodedValue().ToArray();
            var algorithm = AlgorithmIdentifier.Read(certificate);
            var signature = certificate.ReadBitString(out _);
            certificate.ThrowIfNotEmpty();

            var t = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
            if (t.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                t.ReadEncodedValue();
            t.ReadIntegerBytes();
            var tbsAlgorithm = AlgorithmIdentifier.Read(t);
            var issuer = DistinguishedName.Read(t);
            t.ReadSequence();
            var subject = DistinguishedName.Read(t);
            var spki = t.ReadEncodedValue().ToArray();
            var spkiReader = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
            var keyAlgorithm = AlgorithmIdentifier.Read(spkiReader);
            return new Certificate(der, tbs, algorithm, tbsAlgorithm, signature, issuer, subject, spki, keyAlgorithm.Oid);
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException or CryptographicException)
        {
            throw new FirmwareFormatException($"{where}: malformed X.509 certificate DER: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks this certificate's signature with <paramref name="issuer"/>'s public key, imported through
    /// <paramref name="keys"/> when given (once per distinct key), else for this check alone.
    /// </summary>
    public bool IsSignedBy(Certificate issuer, PublicKeyCache? keys = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!SignatureAlgorithm.SameAs(TbsSignatureAlgorithm))
            return false;
        try
        {
            return SignatureAlgorithm.Verify(ToBeSigned, SignatureValue, issuer, keys);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The public key as an <see cref="RSA"/> or <see cref="ECDsa"/>; any other algorithm is a format error.</summary>
    public AsymmetricAlgorithm ImportPublicKey() =>
        IsRsaKey ? GetRsaPublicKey()
        : IsEcKey ? GetECDsaPublicKey()
        : throw new FirmwareFormatException($"certificate '{Subject}': public key algorithm {PublicKeyAlgorithmOid} is neither RSA nor EC");

    public RSA GetRsaPublicKey()
    {
        var rsa = RSA.Create();
        ImportInto(rsa);
        return rsa;
    }

    public ECDsa GetECDsaPublicKey()
    {
        var ec = ECDsa.Create();
        ImportInto(ec);
        return ec;
    }

    private void ImportInto(AsymmetricAlgorithm key)
    {
        try
        {
            key.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException or ArgumentException)
        {
            key.Dispose();
            throw new FirmwareFormatException($"certificate '{Subject}': unusable public key: {e.Message}", e);
        }
    }

    private int RsaKeyBits()
    {
        using var rsa = GetRsaPublicKey();
        return rsa.KeySize;
    }

    private string EcCurve()
    {
        using var ec = GetECDsaPublicKey();
        return ec.KeySize == 384 ? "P-384" : $"{ec.KeySize}-bit";
    }

    public override string ToString() => Subject.ToString();
}

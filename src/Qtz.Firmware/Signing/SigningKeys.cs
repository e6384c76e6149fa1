using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Qtz.Firmware.Signing;

/// <summary>Key type of a generated test root, CA and attestation key.</summary>
public enum SigningKeyType
{
    Rsa2048,
    P384,
}

/// <summary>
/// A test signing set: self-signed root, attestation CA (with its key) and the attestation key. The
/// attestation certificate itself is issued per image at signing time, because its OUs (v3/v5) and its
/// signatureAlgorithm (which selects the image-signature scheme) depend on the image.
/// Files in a key directory: root.crt, ca.crt (DER), root.key, ca.key, attest.key (PKCS#8 PEM), root.sha256/.sha384 (hex).
/// </summary>
public sealed class SigningKeys : IDisposable
{
    private SigningKeys(SigningKeyType type, byte[] rootDer, byte[] caDer, AsymmetricAlgorithm caKey, AsymmetricAlgorithm attestationKey, AsymmetricAlgorithm? rootKey)
    {
        Type = type;
        RootCertificate = rootDer;
        CaCertificate = caDer;
        CaKey = caKey;
        AttestationKey = attestationKey;
        RootKey = rootKey;
    }

    public SigningKeyType Type { get; }
    public byte[] RootCertificate { get; }
    public byte[] CaCertificate { get; }
    public AsymmetricAlgorithm CaKey { get; }
    public AsymmetricAlgorithm AttestationKey { get; }
    public AsymmetricAlgorithm? RootKey { get; }

    private Certificates.DistinguishedName CaSubject => field ??= Certificates.Certificate.Parse(CaCertificate, "ca.crt").Subject;

    public byte[] RootSha256 => SHA256.HashData(RootCertificate);
    public byte[] RootSha384 => SHA384.HashData(RootCertificate);

    public static SigningKeys Generate(SigningKeyType type)
    {
        var rootKey = NewKey(type);
        var caKey = NewKey(type);
        var attestationKey = NewKey(type);
        var notBefore = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var notAfter = notBefore.AddYears(30);
        var rootRequest = Request("qtz Test Root CA", rootKey, type);
        AddCaExtensions(rootRequest);
        var rootDer = rootRequest.Create(rootRequest.SubjectName, Generator(rootKey, RSASignaturePadding.Pkcs1), notBefore, notAfter, [1]).RawData;
        var caRequest = Request("qtz Test Attestation CA", caKey, type);
        AddCaExtensions(caRequest);
        var caDer = caRequest.Create(rootRequest.SubjectName, Generator(rootKey, RSASignaturePadding.Pkcs1), notBefore, notAfter, [2]).RawData;
        return new SigningKeys(type, rootDer, caDer, caKey, attestationKey, rootKey);
    }

    /// <summary>Issues the attestation (leaf) certificate; RSA sets choose PKCS#1 (legacy scheme) or PSS by <paramref name="pss"/>.</summary>
    public byte[] IssueAttestation(IEnumerable<string> organizationalUnits, bool pss)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCountryOrRegion("US");
        name.AddOrganizationName("qtz");
        foreach (var ou in organizationalUnits)
            name.AddOrganizationalUnitName(ou);
        name.AddCommonName("qtz Test Attestation");
        var request = Type == SigningKeyType.Rsa2048
            ? new CertificateRequest(name.Build(), (RSA)AttestationKey, HashAlgorithmName.SHA256, pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1)
            : new CertificateRequest(name.Build(), (ECDsa)AttestationKey, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var issuer = new X500DistinguishedName(CaSubject.Der);
        var notBefore = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return request.Create(issuer, Generator(CaKey, pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1), notBefore, notBefore.AddYears(30), [3]).RawData;
    }

    /// <summary>
    /// The files of a key directory (root.crt, ca.crt, *.key, root.sha256/.sha384) by name, for the caller
    /// to write (the CLI writes them all or none); <see cref="Load"/> reads them back.
    /// </summary>
    public IReadOnlyList<(string Name, byte[] Content)> Files()
    {
        var utf8 = new System.Text.UTF8Encoding(false);
        var files = new List<(string, byte[])> { ("root.crt", RootCertificate), ("ca.crt", CaCertificate) };
        if (RootKey is not null)
            files.Add(("root.key", utf8.GetBytes(RootKey.ExportPkcs8PrivateKeyPem())));
        files.Add(("ca.key", utf8.GetBytes(CaKey.ExportPkcs8PrivateKeyPem())));
        files.Add(("attest.key", utf8.GetBytes(AttestationKey.ExportPkcs8PrivateKeyPem())));
        files.Add(("root.sha256", utf8.GetBytes(Convert.ToHexStringLower(RootSha256) + "\n")));
        files.Add(("root.sha384", utf8.GetBytes(Convert.ToHexStringLower(RootSha384) + "\n")));
        return files;
    }

    /// <summary>Loads a key directory written by <see cref="Files"/>; names the missing or bad file.</summary>
    public static SigningKeys Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Load(file =>
        {
            var path = Path.Combine(directory, file);
            return File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"key directory '{directory}' has no {file} (create one with 'qtz fw keygen -o {directory}')", path);
        }, directory);
    }

    /// <summary>
    /// Loads a key set from wherever <paramref name="read"/> finds its files by name (a directory, embedded
    /// resources); <paramref name="where"/> names the set in messages.
    /// </summary>
    public static SigningKeys Load(Func<string, byte[]> read, string where)
    {
        ArgumentNullException.ThrowIfNull(read);
        var rootDer = read("root.crt");
        var caDer = read("ca.crt");
        var ca = Certificates.Certificate.Parse(caDer, Path.Combine(where, "ca.crt"));
        var type = ca.IsEcKey ? SigningKeyType.P384 : SigningKeyType.Rsa2048;
        var caKey = LoadKey(read("ca.key"), Path.Combine(where, "ca.key"), type);
        try
        {
            return new SigningKeys(type, rootDer, caDer, caKey, LoadKey(read("attest.key"), Path.Combine(where, "attest.key"), type), null);
        }
        catch
        {
            caKey.Dispose();
            throw;
        }
    }

    private static AsymmetricAlgorithm LoadKey(byte[] pem, string name, SigningKeyType type)
    {
        AsymmetricAlgorithm key = type == SigningKeyType.Rsa2048 ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportFromPem(System.Text.Encoding.UTF8.GetString(pem));
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ArgumentException($"{name}: not a PKCS#8 PEM {type} private key ({e.Message})", e);
        }
    }

    private static AsymmetricAlgorithm NewKey(SigningKeyType type) =>
        type == SigningKeyType.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP384);

    private static CertificateRequest Request(string commonName, AsymmetricAlgorithm key, SigningKeyType type)
    {
        var name = new X500DistinguishedName($"CN={commonName}, O=qtz, C=US");
        return type == SigningKeyType.Rsa2048
            ? new CertificateRequest(name, (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(name, (ECDsa)key, HashAlgorithmName.SHA384);
    }

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static X509SignatureGenerator Generator(AsymmetricAlgorithm key, RSASignaturePadding padding) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, padding),
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        _ => throw new ArgumentException("unsupported key type", nameof(key)),
    };

    public void Dispose()
    {
        CaKey.Dispose();
        AttestationKey.Dispose();
        RootKey?.Dispose();
    }
}

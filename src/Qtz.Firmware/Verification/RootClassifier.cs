using System.Security.Cryptography;
using Qtz.Firmware.Certificates;

namespace Qtz.Firmware.Verification;

/// <summary>Whether a root of trust is a public test root (loads only on unfused devices) or a production root.</summary>
public enum RootClass
{
    Unknown,
    Test,
    Production,
}

/// <summary>The roots of §2.7, recognised by SHA-256 of the root certificate DER (prefix … suffix as published).</summary>
public static class RootClassifier
{
    private static readonly (string Prefix, string Suffix, string Name, RootClass Class)[] KnownRoots =
    [
        ("f8ab2052", "4e861", "Generated Test Root CA (RSA e=65537)", RootClass.Test),
        ("ba2aa4ee", "c7a1e", "Generated Test Root CA (RSA e=3)", RootClass.Test),
        ("983054f5", "", "Generated Test Root CA (RSA e=3)", RootClass.Test),
        ("d281fa4d", "", "Generated Test Root CA (RSA e=3)", RootClass.Test),
        ("0576ae2e", "", "Generated Test Root CA (RSA e=3)", RootClass.Test),
        ("b53fb23d", "62d4a", "QPSA F4 TEST ROOT", RootClass.Test),
        ("959b8d05", "fd798", "Generated Test Root CA (P-384)", RootClass.Test),
        ("9cda6268", "7a454", "SECTOOLS SECP384R1 CURVE TEST ROOT", RootClass.Test),
        ("58218966", "f7de0", "SECTOOLS 2K KEY WITH EXP 65537 TEST ROOT", RootClass.Test),
        ("308f83dc", "f26631", "QSEE Attestation Test Root CA 4", RootClass.Test),
        ("cd682b2e", "e1537", "QSEE Attestation Root CA 4", RootClass.Production),
        ("3a99e404", "1547a", "QMC Attestation Root CA 4", RootClass.Production),
        ("1e979f3a", "15cde", "QMC Attestation Root CA 6", RootClass.Production),
        ("e146b805", "45c8f", "Lenovo Root for Qualcomm CA", RootClass.Production),
        ("0fd0e4fc", "111ff", "Qualcomm Secure Boot Root CA", RootClass.Production),
        ("862a5db8", "0a5f1", "FOXCONN Root CA 1", RootClass.Production),
    ];

    /// <summary>Known roots by digest; otherwise a CN containing "TEST" counts as a test root, anything else is unknown.</summary>
    public static (RootClass Class, string Reason) Classify(Certificate root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(root.Der));
        foreach (var (prefix, suffix, name, cls) in KnownRoots)
        {
            if (sha256.StartsWith(prefix, StringComparison.Ordinal) && sha256.EndsWith(suffix, StringComparison.Ordinal))
                return (cls, $"known root: {name}");
        }

        var cn = root.Subject.CommonName ?? "";
        return cn.Contains("TEST", StringComparison.OrdinalIgnoreCase)
            ? (RootClass.Test, $"unlisted root whose CN '{cn}' says TEST")
            : (RootClass.Unknown, $"unlisted root '{cn}'");
    }
}

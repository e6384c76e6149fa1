using System.Security.Cryptography;
using Qtz.Firmware.Certificates;
using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Signing;

namespace Qtz.Firmware.Verification;

/// <summary>
/// Checks one signer: chain links, root self-signature, chain padding and the image signature. Used by
/// <see cref="FirmwareVerifier"/> and by TrustZone's PAS model, so both judge a signer the same way.
/// </summary>
public static class ChainVerifier
{
    /// <summary>Parses a signer's chain and describes it, without checking any signature.</summary>
    public static SignerReport Describe(HashSegment segment, Signer signer)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var name = signer.ToString().ToUpperInvariant();
        var chain = CertificateChain.Parse(segment.CertificateChain(signer), $"{name} certificate chain at hash-segment offset 0x{segment.ChainOffset(signer):X}");
        var (rootClass, reason) = RootClassifier.Classify(chain.Root);
        return new SignerReport(signer, ImageSignature.SchemeFor(chain.Leaf), chain, AttestationIdentity.FromLeaf(chain.Leaf),
            SHA256.HashData(chain.Root.Der), SHA384.HashData(chain.Root.Der), rootClass, reason);
    }

    public static SignerReport Verify(HashSegment segment, Signer signer, List<VerificationCheck> checks, SignatureCheckCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(checks);
        var report = Describe(segment, signer);
        var name = signer.ToString().ToUpperInvariant();
        var chain = report.Chain;
        var certs = chain.Certificates;
        for (var i = 0; i + 1 < certs.Count; i++)
        {
            var ok = IsSignedBy(certs[i], certs[i + 1], cache);
            checks.Add(new VerificationCheck(CheckKind.CertificateLink, ok ? CheckStatus.Passed : CheckStatus.Failed, $"{name} chain",
                $"certificate {i} '{certs[i].Subject.CommonName}' {(ok ? "is" : "is NOT")} signed by certificate {i + 1} '{certs[i + 1].Subject.CommonName}' ({certs[i].SignatureAlgorithm.Name})"));
        }

        var selfSigned = IsSignedBy(chain.Root, chain.Root, cache);
        checks.Add(new VerificationCheck(CheckKind.RootSelfSigned, selfSigned ? CheckStatus.Passed : CheckStatus.Failed, $"{name} chain",
            $"root '{chain.Root.Subject.CommonName}' {(selfSigned ? "is" : "is NOT")} self-signed"));
        checks.Add(chain.FirstBadPaddingOffset < 0
            ? new VerificationCheck(CheckKind.ChainPadding, CheckStatus.Passed, $"{name} chain", $"{certs.Count} certificates, then 0xFF padding")
            : new VerificationCheck(CheckKind.ChainPadding, CheckStatus.Failed, $"{name} chain",
                $"padding byte at hash-segment offset 0x{segment.ChainOffset(signer) + chain.FirstBadPaddingOffset:X} is not 0xFF"));

        var scheme = report.Scheme;
        var message = ImageSignature.SignedMessage(segment, signer);
        var signature = segment.Signature(signer).ToArray();
        bool VerifyImage() => ImageSignature.Verify(scheme, message, signature, chain.Leaf, report.Identity);
        var valid = cache is null ? VerifyImage() : cache.VerifyImage(scheme, message, signature, chain.Leaf, report.Identity);
        checks.Add(new VerificationCheck(CheckKind.ImageSignature, valid ? CheckStatus.Passed : CheckStatus.Failed, $"{name} signature",
            $"{scheme} signature over the {message.Length}-byte signed region {(valid ? "is valid" : "does NOT verify")} with '{chain.Leaf.Subject.CommonName}'"));
        return report;
    }

    private static bool IsSignedBy(Certificate subject, Certificate issuer, SignatureCheckCache? cache) =>
        cache?.IsSignedBy(subject, issuer) ?? subject.IsSignedBy(issuer);
}

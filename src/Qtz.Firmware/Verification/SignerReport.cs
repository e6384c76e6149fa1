using Qtz.Firmware.Certificates;
using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Signing;

namespace Qtz.Firmware.Verification;

/// <summary>What one signer of the image presented: scheme, chain, and its root's digests and classification.</summary>
public sealed record SignerReport(
    Signer Signer,
    ImageSignatureScheme Scheme,
    CertificateChain Chain,
    AttestationIdentity Identity,
    byte[] RootSha256,
    byte[] RootSha384,
    RootClass RootClass,
    string RootClassReason)
{
    /// <summary>The digest a fuse would hold: SHA-384 for ECDSA chains, SHA-256 for RSA (the latter UNCONFIRMED).</summary>
    public byte[] RootHash => Scheme == ImageSignatureScheme.EcdsaP384 ? RootSha384 : RootSha256;
}

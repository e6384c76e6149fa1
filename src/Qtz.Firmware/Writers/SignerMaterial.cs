using Qtz.Firmware.Certificates;
using Qtz.Firmware.Signing;

namespace Qtz.Firmware.Writers;

/// <summary>One signer's part of a test-signed hash segment: scheme, freshly issued chain and region sizes.</summary>
internal sealed record SignerMaterial(SigningKeys Keys, ImageSignatureScheme Scheme, byte[] Chain, uint ChainRegionSize, uint SignatureSize)
{
    public static SignerMaterial Create(SigningKeys keys, SignOptions options, uint signedLength)
    {
        var scheme = keys.Type == SigningKeyType.P384 ? ImageSignatureScheme.EcdsaP384
            : options.Version == 3 ? ImageSignatureScheme.LegacyRsaDoubleHash : ImageSignatureScheme.RsaPss;
        var leaf = keys.IssueAttestation(
            options.Version is 3 or 5 ? AttestationIdentity.OrganizationalUnitsFor(LegacySoftwareId(options), options.HardwareId, signedLength) : [],
            pss: scheme == ImageSignatureScheme.RsaPss);
        var chain = leaf.Concat(keys.CaCertificate).Concat(keys.RootCertificate).ToArray();
        return new SignerMaterial(keys, scheme, chain, (uint)((chain.Length + 15) & ~15), (uint)ImageSignature.SignatureSize(scheme, keys.AttestationKey));
    }

    /// <summary>The 64-bit SW_ID of v3/v5 leaf OUs: rollback version in the high half (UNCONFIRMED layout).</summary>
    public static ulong LegacySoftwareId(SignOptions options) => options.SoftwareId | ((ulong)options.AntiRollbackVersion << 32);

    public byte[] Sign(ReadOnlySpan<byte> message, SignOptions options) =>
        ImageSignature.Sign(Scheme, message, Keys.AttestationKey, LegacySoftwareId(options), options.HardwareId);
}

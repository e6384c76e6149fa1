using System.Buffers.Binary;
using System.Security.Cryptography;
using Qtz.Firmware.Certificates;
using Qtz.Firmware.HashSegments;

namespace Qtz.Firmware.Signing;

/// <summary>The signed message of each signer (with dual-signer masking) and the per-scheme verify and sign operations.</summary>
public static class ImageSignature
{
    public const int EcdsaSignatureSize = 104;

    public static ImageSignatureScheme SchemeFor(Certificate leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return leaf.SignatureAlgorithm.Oid switch
        {
            Oids.Sha256WithRsa => ImageSignatureScheme.LegacyRsaDoubleHash,
            Oids.RsassaPss => ImageSignatureScheme.RsaPss,
            Oids.EcdsaWithSha384 => ImageSignatureScheme.EcdsaP384,
            var other => FirmwareThrow.Format<ImageSignatureScheme>($"attestation certificate '{leaf.Subject}' has signatureAlgorithm {leaf.SignatureAlgorithm.Name}; expected sha256WithRSAEncryption, RSASSA-PSS or ecdsa-with-SHA384"),
        };
    }

    /// <summary>
    /// The bytes <paramref name="signer"/> signed: header + metadata + hash table; when both signers are
    /// present, the other signer's size fields are zeroed and its metadata block replaced by zeros (§2.5).
    /// </summary>
    public static byte[] SignedMessage(HashSegment segment, Signer signer)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var message = segment.SignedRegion.ToArray();
        var header = segment.Header;
        if (header.QtiSignatureSize == 0 || header.OemSignatureSize == 0)
            return message;
        var (qtiSig, qtiCert, oemSig, oemCert) = header.SizeFieldOffsets;
        var (sigField, certField, otherMetadata) = signer == Signer.Oem
            ? (qtiSig, qtiCert, segment.QtiMetadataRange)
            : (oemSig, oemCert, segment.OemMetadataRange);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(sigField), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(certField), 0);
        message.AsSpan(otherMetadata).Clear();
        return message;
    }

    public static bool Verify(ImageSignatureScheme scheme, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, Certificate leaf, AttestationIdentity identity, PublicKeyCache? keys = null)
    {
        try
        {
            return VerifyCore(scheme, message, signature, leaf, identity, keys);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool VerifyCore(ImageSignatureScheme scheme, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, Certificate leaf, AttestationIdentity identity, PublicKeyCache? keys)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(identity);
        switch (scheme)
        {
            case ImageSignatureScheme.LegacyRsaDoubleHash when leaf.IsRsaKey:
            {
                using var lease = keys?.Lease(leaf) ?? PublicKeyLease.Fresh(leaf);
                var digest = LegacyDoubleHash.Digest(message, identity.SoftwareId ?? 0, identity.HardwareId ?? 0);
                return LegacyDoubleHash.Verify(((RSA)lease.Key).ExportParameters(false), signature, digest);
            }

            case ImageSignatureScheme.RsaPss when leaf.IsRsaKey:
            {
                using var lease = keys?.Lease(leaf) ?? PublicKeyLease.Fresh(leaf);
                return ((RSA)lease.Key).VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            }

            case ImageSignatureScheme.EcdsaP384 when leaf.IsEcKey:
            {
                if (signature.Length < 2 || signature[0] != 0x30 || signature[1] >= 0x80 || signature[1] + 2 > signature.Length)
                    return false;
                using var lease = keys?.Lease(leaf) ?? PublicKeyLease.Fresh(leaf);
                return ((ECDsa)lease.Key).VerifyData(message, signature[..(signature[1] + 2)], HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence);
            }

            default:
                return false;
        }
    }

    /// <summary>Signs <paramref name="message"/> with the attestation key; the result fills the signature region exactly.</summary>
    public static byte[] Sign(ImageSignatureScheme scheme, ReadOnlySpan<byte> message, AsymmetricAlgorithm key, ulong softwareId, ulong hardwareId)
    {
        switch (scheme, key)
        {
            case (ImageSignatureScheme.LegacyRsaDoubleHash, RSA rsa):
                return LegacyDoubleHash.Sign(rsa.ExportParameters(true), LegacyDoubleHash.Digest(message, softwareId, hardwareId));
            case (ImageSignatureScheme.RsaPss, RSA rsa):
                return rsa.SignData(message.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            case (ImageSignatureScheme.EcdsaP384, ECDsa ec):
                var der = ec.SignData(message, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence);
                var padded = new byte[EcdsaSignatureSize];
                der.CopyTo(padded, 0);
                return padded;
            default:
                throw new ArgumentException($"a {key?.GetType().Name} key cannot make a {scheme} signature", nameof(key));
        }
    }

    public static int SignatureSize(ImageSignatureScheme scheme, AsymmetricAlgorithm key) =>
        scheme == ImageSignatureScheme.EcdsaP384 ? EcdsaSignatureSize : (key?.KeySize ?? 2048) / 8;
}

namespace Qtz.Firmware.Signing;

/// <summary>The three image-signature schemes of §2.5, chosen by the attestation certificate's signatureAlgorithm.</summary>
public enum ImageSignatureScheme
{
    /// <summary>sha256WithRSAEncryption leaf: raw PKCS#1 v1.5 type-1 padding over the SW_ID/HW_ID double hash, no DigestInfo.</summary>
    LegacyRsaDoubleHash,

    /// <summary>RSASSA-PSS leaf: PSS over the signed region, SHA-256, MGF1-SHA-256, salt 32.</summary>
    RsaPss,

    /// <summary>ecdsa-with-SHA384 leaf: ECDSA P-384 over SHA-384 of the signed region, DER zero-padded.</summary>
    EcdsaP384,
}

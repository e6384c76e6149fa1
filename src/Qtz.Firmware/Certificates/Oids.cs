namespace Qtz.Firmware.Certificates;

/// <summary>Object identifiers the hash-segment chains use.</summary>
internal static class Oids
{
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string RsassaPss = "1.2.840.113549.1.1.10";
    public const string Mgf1 = "1.2.840.113549.1.1.8";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string CommonName = "2.5.4.3";
    public const string OrganizationalUnit = "2.5.4.11";
    public const string Organization = "2.5.4.10";
}

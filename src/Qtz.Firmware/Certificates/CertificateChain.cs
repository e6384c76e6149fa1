namespace Qtz.Firmware.Certificates;

/// <summary>
/// A signer's certificate chain region: DER certificates back to back (leaf, CA…, root), then 0xFF up to
/// the region size. The split follows each certificate's own DER length.
/// </summary>
public sealed class CertificateChain
{
    private CertificateChain(IReadOnlyList<Certificate> certificates, int paddingOffset, int firstBadPaddingOffset)
    {
        Certificates = certificates;
        PaddingOffset = paddingOffset;
        FirstBadPaddingOffset = firstBadPaddingOffset;
    }

    /// <summary>Leaf (attestation) first, root last.</summary>
    public IReadOnlyList<Certificate> Certificates { get; }

    public Certificate Leaf => Certificates[0];

    public Certificate Root => Certificates[^1];

    /// <summary>Offset in the region where padding starts.</summary>
    public int PaddingOffset { get; }

    /// <summary>Offset in the region of the first padding byte that is not 0xFF, or -1.</summary>
    public int FirstBadPaddingOffset { get; }

    /// <summary>Splits and parses a chain region; <paramref name="where"/> names it in errors (e.g. "OEM chain at hash-segment offset 0x1234").</summary>
    public static CertificateChain Parse(ReadOnlySpan<byte> region, string where)
    {
        var certificates = new List<Certificate>();
        var at = 0;
        while (at < region.Length && region[at] != 0xFF)
        {
            if (region[at] != 0x30)
                FirmwareThrow.Format($"{where}: byte 0x{region[at]:X2} at +0x{at:X} starts neither a DER certificate (0x30) nor the 0xFF padding");
            var length = DerLength(region, at, where);
            certificates.Add(Certificate.Parse(region.Slice(at, length).ToArray(), $"{where}, certificate {certificates.Count} at +0x{at:X}"));
            at += length;
        }

        if (certificates.Count == 0)
            FirmwareThrow.Format($"{where}: no certificate (the region is all 0xFF padding)");
        var padding = region[at..];
        var bad = padding.IndexOfAnyExcept((byte)0xFF);
        return new CertificateChain(certificates, at, bad < 0 ? -1 : at + bad);
    }

    /// <summary>Total length (tag + length + content) of the DER SEQUENCE at <paramref name="at"/>.</summary>
    private static int DerLength(ReadOnlySpan<byte> region, int at, string where)
    {
        if (region.Length - at < 2)
            FirmwareThrow.Format($"{where}: certificate at +0x{at:X} truncated in its DER length");
        int first = region[at + 1];
        long content;
        int header;
        if (first < 0x80)
        {
            content = first;
            header = 2;
        }
        else
        {
            var count = first & 0x7F;
            if (count is 0 or > 3 || region.Length - at < 2 + count)
                FirmwareThrow.Format($"{where}: certificate at +0x{at:X} has a bogus DER length byte 0x{first:X2}");
            content = 0;
            for (var i = 0; i < count; i++)
                content = (content << 8) | region[at + 2 + i];
            header = 2 + count;
        }

        if (content > region.Length - at - header)
            FirmwareThrow.Format($"{where}: certificate at +0x{at:X} claims {content} content bytes but only {region.Length - at - header} remain in the region");
        return (int)(header + content);
    }
}

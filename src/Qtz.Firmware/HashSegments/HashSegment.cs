using System.Security.Cryptography;

namespace Qtz.Firmware.HashSegments;

/// <summary>A signer slot in the hash segment.</summary>
public enum Signer
{
    Qti,
    Oem,
}

/// <summary>
/// A parsed hash segment: header, metadata blocks, hash table, and each signer's signature and
/// certificate-chain regions, in the body order of §2.2. Every region is bounds-checked against the
/// segment size in 64-bit arithmetic; bytes after the last region are <see cref="Trailing"/> (must be 0xFF).
/// </summary>
public sealed class HashSegment
{
    private HashSegment(byte[] bytes, HashSegmentHeader header, int entryCount, int digestLength, HashAlgorithmName algorithm)
    {
        Bytes = bytes;
        Header = header;
        EntryCount = entryCount;
        DigestLength = digestLength;
        TableAlgorithm = algorithm;
        var at = header.HeaderLength;
        QtiMetadataRange = Take(ref at, header.QtiMetadataSize);
        OemMetadataRange = Take(ref at, header.OemMetadataSize);
        HashTableRange = Take(ref at, header.HashSize);
        QtiSignatureRange = Take(ref at, header.QtiSignatureSize);
        QtiChainRange = Take(ref at, header.QtiCertificateChainSize);
        OemSignatureRange = Take(ref at, header.OemSignatureSize);
        OemChainRange = Take(ref at, header.OemCertificateChainSize);
        TrailingRange = new Range(at, bytes.Length);
        QtiMetadata = header.QtiMetadataSize == 0 ? null : ImageMetadata.Parse(bytes.AsSpan(QtiMetadataRange));
        OemMetadata = header.OemMetadataSize == 0 ? null : ImageMetadata.Parse(bytes.AsSpan(OemMetadataRange));
    }

    public byte[] Bytes { get; }

    public HashSegmentHeader Header { get; }

    public int Version => Header.Version;

    /// <summary>Number of hash-table entries (= e_phnum).</summary>
    public int EntryCount { get; }

    public int DigestLength { get; }

    public HashAlgorithmName TableAlgorithm { get; }

    public ImageMetadata? QtiMetadata { get; }

    public ImageMetadata? OemMetadata { get; }

    public Range QtiMetadataRange { get; }
    public Range OemMetadataRange { get; }
    public Range HashTableRange { get; }
    public Range QtiSignatureRange { get; }
    public Range QtiChainRange { get; }
    public Range OemSignatureRange { get; }
    public Range OemChainRange { get; }
    public Range TrailingRange { get; }

    public ReadOnlySpan<byte> SignedRegion => Bytes.AsSpan(0, (int)Header.SignedLength);

    public ReadOnlySpan<byte> Trailing => Bytes.AsSpan(TrailingRange);

    /// <summary>Signers whose signature region is present.</summary>
    public IEnumerable<Signer> Signers
    {
        get
        {
            if (Header.QtiSignatureSize != 0) yield return Signer.Qti;
            if (Header.OemSignatureSize != 0) yield return Signer.Oem;
        }
    }

    public ReadOnlySpan<byte> Entry(int index) => Bytes.AsSpan(HashTableRange.Start.Value + (index * DigestLength), DigestLength);

    public ReadOnlySpan<byte> Signature(Signer signer) => Bytes.AsSpan(signer == Signer.Qti ? QtiSignatureRange : OemSignatureRange);

    public ReadOnlySpan<byte> CertificateChain(Signer signer) => Bytes.AsSpan(signer == Signer.Qti ? QtiChainRange : OemChainRange);

    /// <summary>Absolute offset (from the segment start) of a signer's chain region.</summary>
    public int ChainOffset(Signer signer) => (signer == Signer.Qti ? QtiChainRange : OemChainRange).Start.Value;

    /// <summary>SW_ID from v7 common metadata or a v6/v7 metadata block; null for v3/v5 (it lives in the signer's certificate).</summary>
    public uint? MetadataSoftwareId => Header.Common?.SoftwareId ?? EffectiveMetadata?.SoftwareId;

    /// <summary>The metadata block that speaks for the image: OEM when present, else QTI.</summary>
    public ImageMetadata? EffectiveMetadata => OemMetadata ?? QtiMetadata;

    /// <summary>Parses a hash segment for an image with <paramref name="programHeaderCount"/> program headers.</summary>
    public static HashSegment Parse(byte[] bytes, int programHeaderCount)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var header = HashSegmentHeader.Parse(bytes);
        ulong end = (ulong)header.HeaderLength + header.QtiMetadataSize + header.OemMetadataSize + header.HashSize
            + header.QtiSignatureSize + header.QtiCertificateChainSize + header.OemSignatureSize + header.OemCertificateChainSize;
        if (end > (ulong)bytes.Length)
            FirmwareThrow.Format($"hash segment v{header.Version}: header, metadata, hash table, signatures and chains need 0x{end:X} bytes; the segment has 0x{bytes.Length:X}");
        if (programHeaderCount <= 0 || header.HashSize % (uint)programHeaderCount != 0)
            FirmwareThrow.Format($"hash segment v{header.Version}: hash_size {header.HashSize} at offset 0x14 is not divisible by e_phnum {programHeaderCount}");
        var digestLength = (int)(header.HashSize / (uint)programHeaderCount);
        var algorithm = TableAlgorithmOf(header, digestLength);
        foreach (var size in new[] { header.QtiMetadataSize, header.OemMetadataSize })
        {
            if (size is not (0 or ImageMetadata.V6Length or ImageMetadata.V7Length))
                FirmwareThrow.Format($"hash segment v{header.Version}: metadata size {size}; expected 0, {ImageMetadata.V6Length} or {ImageMetadata.V7Length}");
        }

        if (header.Version is 3 or 5 or 6 && !TotalSizeIsConsistent(header))
            FirmwareThrow.Format($"hash segment v{header.Version}: total_size 0x{header.TotalSize:X} at offset 0x10 is neither 0x{RegionsSize(header):X} (hash_size + signatures + chains) nor 0x{RegionsSize(header) + header.QtiMetadataSize + header.OemMetadataSize:X} (that plus the metadata)");
        return new HashSegment(bytes, header, programHeaderCount, digestLength, algorithm);
    }

    /// <summary>
    /// The hash-table algorithm. v7 names it in its common metadata (field 0x38), and the digest size must
    /// agree. v3, v5 and v6 have no such field, so the digest size hash_size / e_phnum decides: 32 bytes
    /// SHA-256, 48 bytes SHA-384. The version does not: qca/msbtfw11.mbn is a signed v6 image with a
    /// SHA-256 table, and Linux (which never hashes) loads it.
    /// </summary>
    private static HashAlgorithmName TableAlgorithmOf(HashSegmentHeader header, int digestLength)
    {
        if (header.Common is { } common)
        {
            var named = common.HashAlgorithm switch
            {
                CommonMetadata.Sha256 => HashAlgorithmName.SHA256,
                CommonMetadata.Sha384 => HashAlgorithmName.SHA384,
                var other => FirmwareThrow.Format<HashAlgorithmName>($"v7 common metadata hash_table_algorithm at offset 0x38 is {other}; expected 2 (SHA-256) or 3 (SHA-384)"),
            };
            if (digestLength != DigestLengthOf(named))
                FirmwareThrow.Format($"hash segment v7: hash_size {header.HashSize} / e_phnum gives {digestLength}-byte digests; hash_table_algorithm {common.HashAlgorithm} ({named.Name}) needs {DigestLengthOf(named)}");
            return named;
        }

        return digestLength switch
        {
            32 => HashAlgorithmName.SHA256,
            48 => HashAlgorithmName.SHA384,
            _ => FirmwareThrow.Format<HashAlgorithmName>($"hash segment v{header.Version}: hash_size {header.HashSize} at offset 0x14 / e_phnum gives {digestLength}-byte digests; expected 32 (SHA-256) or 48 (SHA-384)"),
        };
    }

    private static int DigestLengthOf(HashAlgorithmName algorithm) => algorithm == HashAlgorithmName.SHA256 ? 32 : 48;

    /// <summary>
    /// total_size (v3/v5/v6) counts hash table, signatures and chains, as SecTools writes it; qtestsign's v6
    /// images (mbn/hashseg.py adds the metadata sizes) and at least one real QUP image also count both
    /// metadata blocks (no image of Debian's firmware packages does).
    /// Both describe the same, otherwise consistent, layout (every region is bounds-checked on its own), so
    /// both are accepted; any other value is refused.
    /// </summary>
    private static bool TotalSizeIsConsistent(HashSegmentHeader header) =>
        header.TotalSize == RegionsSize(header) || header.TotalSize == RegionsSize(header) + header.QtiMetadataSize + header.OemMetadataSize;

    private static ulong RegionsSize(HashSegmentHeader header) =>
        (ulong)header.HashSize + header.QtiSignatureSize + header.QtiCertificateChainSize + header.OemSignatureSize + header.OemCertificateChainSize;

    private static Range Take(ref int at, uint size)
    {
        var range = new Range(at, at + (int)size);
        at += (int)size;
        return range;
    }
}

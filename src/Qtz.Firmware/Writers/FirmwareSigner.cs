using System.Security.Cryptography;
using Qtz.Firmware.Certificates;
using Qtz.Firmware.Elf;
using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Verification;

namespace Qtz.Firmware.Writers;

/// <summary>
/// Test signing: writes a single-file image with a fresh v3/v5/v6/v7 hash segment (hash table over
/// every segment, metadata, a real signature by the attestation key, and the leaf → CA → root chain).
/// Unlike qtestsign, v6/v7 signatures are real and v6 total_size excludes the metadata, as SecTools does.
/// </summary>
public static class FirmwareSigner
{
    /// <summary>Signs with <paramref name="keys"/> as the OEM signer and, when given, <paramref name="qtiKeys"/> as the QTI countersigner (v5–v7).</summary>
    public static void Sign(FirmwareImage image, SigningKeys keys, SignOptions options, Stream output, SigningKeys? qtiKeys = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (options.Version is not (3 or 5 or 6 or 7))
            throw new ArgumentException($"hash segment version {options.Version} is not supported; use 3, 5, 6 or 7", nameof(options));
        if (qtiKeys is not null && options.Version == 3)
            throw new ArgumentException("a v3 hash segment has a single signer; QTI countersigning needs v5, v6 or v7", nameof(qtiKeys));
        if (image.HashSegmentIndex < 0)
        {
            // A plain ELF (linker output): lay it out with the two program headers qtestsign adds, then sign that.
            var size = Plan(image.ProgramHeaders.Count + 2 - PlainElfLayout.Placeholders(image), keys, options, qtiKeys, 0).SegmentSize;
            using var laidOut = FirmwareImage.FromMemory(PlainElfLayout.WithHashSegment(image, (ulong)size), image.Name);
            Sign(laidOut, keys, options, output, qtiKeys);
            return;
        }

        var h = image.HashSegmentIndex;
        var phdrs = image.ProgramHeaders.ToArray();
        var headerLength = phdrs[0].FileSize;
        if (headerLength < image.Header.PhdrTableEnd || headerLength > (ulong)image.Main.Length)
            FirmwareThrow.Format($"{image.Name}: program header 0 p_filesz 0x{headerLength:X} must cover the ELF header and program headers (0x{image.Header.PhdrTableEnd:X})");

        var (header, oem, qti, segmentSize) = Plan(phdrs.Length, keys, options, qtiKeys, (uint)(phdrs[h].PhysicalAddress + 40));
        var algorithm = header.Version is 3 or 5 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
        var digestLength = header.Version is 3 or 5 ? 32 : 48;
        var metadataLength = (int)header.OemMetadataSize;
        var qtiMetadataLength = (int)header.QtiMetadataSize;
        var hashSize = header.HashSize;
        var signedLength = (uint)header.SignedLength;
        phdrs[h] = PlaceHashSegment(phdrs, h, (ulong)segmentSize);
        var headerBytes = image.Main.ReadBytes(0, (int)headerLength);
        for (var i = 0; i < phdrs.Length; i++)
            phdrs[i].WriteTo(headerBytes.AsSpan((int)image.Header.PhOff + (i * image.Header.PhEntSize)), image.Header.Class);

        var segment = new byte[segmentSize];
        segment.AsSpan().Fill(0xFF);
        header.WriteTo(segment);
        var metadata = metadataLength == 0 ? [] : ImageMetadata.Create(metadataLength, options.SoftwareId, options.HardwareId, options.OemId, options.ModelId, options.AntiRollbackVersion);
        if (qti is not null)
            metadata.CopyTo(segment, header.HeaderLength);
        metadata.CopyTo(segment, header.HeaderLength + qtiMetadataLength);
        WriteHashTable(image, phdrs, h, headerBytes, algorithm, segment.AsSpan((int)(signedLength - hashSize), (int)hashSize), digestLength);
        var parsed = HashSegment.Parse(segment, phdrs.Length);
        var at = (int)signedLength;
        foreach (var (material, signer) in new[] { (qti, Signer.Qti), (oem, Signer.Oem) })
        {
            if (material is null)
                continue;
            material.Sign(ImageSignature.SignedMessage(parsed, signer), options).CopyTo(segment, at);
            material.Chain.CopyTo(segment, at + (int)material.SignatureSize);
            at += (int)(material.SignatureSize + material.ChainRegionSize);
        }

        var end = phdrs.Where(p => p.FileSize != 0).Max(p => (long)p.FileEnd);
        output.SetLength(0);
        output.SetLength(end);
        output.Position = 0;
        output.Write(headerBytes);
        for (var i = 1; i < phdrs.Length; i++)
        {
            if (i != h)
                SegmentCopier.CopySegment(image, i, output);
        }

        output.Position = (long)phdrs[h].Offset;
        output.Write(segment);
        output.Flush();
    }

    public static byte[] Sign(FirmwareImage image, SigningKeys keys, SignOptions options, SigningKeys? qtiKeys = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        // room for the image and a hash segment, so the stream does not grow by doubling
        using var memory = new MemoryStream((int)Math.Min(image.Main.Length + (64 << 10), Array.MaxLength));
        Sign(image, keys, options, memory, qtiKeys);
        return memory.ToArray();
    }

    /// <summary>The header (sizes filled in), the signers' material and the hash segment's size for <paramref name="phnum"/> program headers.</summary>
    private static (HashSegmentHeader Header, SignerMaterial Oem, SignerMaterial? Qti, int SegmentSize) Plan(int phnum, SigningKeys keys, SignOptions options, SigningKeys? qtiKeys, uint destination)
    {
        var algorithm = options.Version is 3 or 5 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
        var digestLength = options.Version is 3 or 5 ? 32 : 48;
        var metadataLength = options.Version switch { 6 => ImageMetadata.V6Length, 7 => ImageMetadata.V7Length, _ => 0 };
        var qtiMetadataLength = qtiKeys is null ? 0 : metadataLength;
        var hashSize = (uint)(phnum * digestLength);
        var header = new HashSegmentHeader(0, options.Version, options.Version switch { 6 => 48, 7 => 64, _ => 40 }, 0, hashSize, (uint)qtiMetadataLength, (uint)metadataLength, 0, 0, 0, 0, 0,
            options.Version == 7 ? new CommonMetadata(0, 0, options.SoftwareId, 0, algorithm == HashAlgorithmName.SHA384 ? CommonMetadata.Sha384 : CommonMetadata.Sha256, 0) : null);
        var signedLength = (uint)header.SignedLength;
        var oem = SignerMaterial.Create(keys, options, signedLength);
        var qti = qtiKeys is null ? null : SignerMaterial.Create(qtiKeys, options, signedLength);
        header = header with
        {
            QtiSignatureSize = qti?.SignatureSize ?? 0,
            QtiCertificateChainSize = qti?.ChainRegionSize ?? 0,
            OemSignatureSize = oem.SignatureSize,
            OemCertificateChainSize = oem.ChainRegionSize,
            DestinationAddress = destination,
        };
        header = header with
        {
            TotalSize = options.Version == 7 ? 0 : hashSize + header.QtiSignatureSize + header.QtiCertificateChainSize + oem.SignatureSize + oem.ChainRegionSize,
        };
        var qtiLength = (qti?.SignatureSize ?? 0) + (qti?.ChainRegionSize ?? 0);
        return (header, oem, qti, (int)(signedLength + qtiLength + oem.SignatureSize + oem.ChainRegionSize + 7) & ~7);
    }

    /// <summary>Keeps the hash segment's slot when the new one fits before the next segment; otherwise appends it.</summary>
    private static ProgramHeader PlaceHashSegment(ProgramHeader[] phdrs, int h, ulong size)
    {
        var old = phdrs[h];
        var others = phdrs.Where((p, i) => i != h && p.FileSize != 0).ToArray();
        var slotEnd = others.Where(p => p.Offset >= old.Offset).Select(p => p.Offset).DefaultIfEmpty(ulong.MaxValue).Min();
        var fits = old.Offset >= phdrs[0].FileSize && old.Offset <= ulong.MaxValue - size && old.Offset + size <= slotEnd
            && !others.Any(p => p.Offset < old.Offset + size && p.FileEnd > old.Offset);
        var offset = fits ? old.Offset : (others.Max(p => p.FileEnd) + 7) & ~7UL;
        return old with { Offset = offset, FileSize = size, MemorySize = Math.Max(old.MemorySize, size) };
    }

    private static void WriteHashTable(FirmwareImage image, ProgramHeader[] phdrs, int h, byte[] headerBytes, HashAlgorithmName algorithm, Span<byte> table, int digestLength)
    {
        table.Clear();
        var hashed = Enumerable.Range(1, phdrs.Length - 1).Where(i => i != h && phdrs[i].FileSize != 0 && !phdrs[i].Qcom.IsExcludedFromHashing).ToList();
        var digests = SegmentHasher.Hash(image, hashed, algorithm);
        for (var k = 0; k < hashed.Count; k++)
            digests[k].CopyTo(table[(hashed[k] * digestLength)..]);
        CryptographicOperations.HashData(algorithm, headerBytes).CopyTo(table);
    }

}

using Qtz.Firmware.Elf;
using Qtz.Firmware.HashSegments;
using Qtz.Firmware.Images;

namespace Qtz.Linux.Remoteproc;

/// <summary>How a copy of a signed image is spoiled for the refusal cases.</summary>
public enum Tamper
{
    /// <summary>One byte in the middle of the first loaded segment: metadata still authentic, AUTH_AND_RESET's re-hash fails.</summary>
    Segment,

    /// <summary>One byte of the hash table (the signed region): the signature no longer verifies, INIT_IMAGE refuses.</summary>
    HashTable,
}

/// <summary>Makes tampered copies of a single-file image (one flipped bit at a well-defined place).</summary>
public static class TamperedImage
{
    /// <summary>The file offset of the byte <paramref name="tamper"/> flips in <paramref name="image"/>.</summary>
    public static long Offset(byte[] image, Tamper tamper)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var fw = FirmwareImage.FromMemory(image);
        if (tamper == Tamper.Segment)
        {
            var segment = fw.ProgramHeaders.Select((p, i) => (p, i))
                .First(s => s.p.IsLoad && s.p.FileSize > 0 && s.i != fw.HashSegmentIndex);
            return (long)(segment.p.Offset + (segment.p.FileSize / 2));
        }

        var hash = fw.ProgramHeaders[fw.HashSegmentIndex];
        var parsed = HashSegment.Parse(fw.ReadSegment(fw.HashSegmentIndex), fw.ProgramHeaders.Count);
        // Entry 1 is the first segment after the ELF header's own digest (entry 0).
        return (long)hash.Offset + parsed.HashTableRange.Start.Value + parsed.DigestLength;
    }

    /// <summary>A copy of <paramref name="image"/> with bit 0 of the byte at <see cref="Offset"/> flipped.</summary>
    public static byte[] Make(byte[] image, Tamper tamper)
    {
        var offset = Offset(image, tamper);
        var copy = (byte[])image.Clone();
        copy[offset] ^= 0x01;
        return copy;
    }

    public static string Suffix(Tamper tamper) => tamper == Tamper.Segment ? "segment-tampered" : "hashtable-tampered";
}

using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;

namespace Qtz.Firmware.Mdt;

/// <summary>Where qcom_mdt_read_metadata found the hash segment bytes.</summary>
public enum HashSegmentSource
{
    /// <summary>Right after the header in a split .mdt (file size == header + hash size).</summary>
    AfterHeader,

    /// <summary>At the hash segment's p_offset in a single-file image.</summary>
    AtOffset,

    /// <summary>From the hash segment's own .bNN file.</summary>
    SegmentFile,
}

/// <summary>
/// The INIT_IMAGE metadata blob as Linux's qcom_mdt_read_metadata builds it: the ELF header and the
/// whole program-header table (phdr[0].p_filesz bytes) immediately followed by the hash segment.
/// </summary>
public sealed record MdtMetadata(byte[] Blob, int HashSegmentIndex, int HeaderLength, HashSegmentSource Source)
{
    public ReadOnlySpan<byte> HeaderBytes => Blob.AsSpan(0, HeaderLength);

    public ReadOnlySpan<byte> HashSegmentBytes => Blob.AsSpan(HeaderLength);

    public static MdtMetadata Build(FirmwareImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var phdrs = image.ProgramHeaders;
        if (phdrs.Count < 2)
            FirmwareThrow.Format($"{image.Name}: metadata needs at least 2 program headers, found {phdrs.Count}");
        if (phdrs[0].Type == ProgramHeaderType.Load)
            FirmwareThrow.Format($"{image.Name}: program header 0 is PT_LOAD; expected the ELF-header placeholder (PT_NULL)");
        var hashIndex = image.HashSegmentIndex;
        if (hashIndex < 0)
            FirmwareThrow.Format($"{image.Name}: no hash segment (no program header from index 1 has p_flags & 0x07000000 == 0x02000000); the image is unsigned");
        var headerLength = phdrs[0].FileSize;
        var hashLength = phdrs[hashIndex].FileSize;
        if (hashLength == 0)
            FirmwareThrow.Format($"{image.Name}: the hash segment (program header {hashIndex}) is empty; the image is unsigned");
        if (headerLength > 16u << 20 || hashLength > 16u << 20)
            FirmwareThrow.Format($"{image.Name}: metadata of 0x{headerLength:X} + 0x{hashLength:X} bytes is implausibly large (limit 16 MiB each)");
        FirmwareThrow.RequireRange(0, headerLength, (ulong)image.Main.Length, $"{image.Main.Name}: ELF header placeholder (phdr 0 p_filesz)");

        var blob = new byte[headerLength + hashLength];
        image.Main.ReadExactly(0, blob.AsSpan(0, (int)headerLength));
        var (source, offset) = image.Locate(hashIndex);
        source.ReadExactly(offset, blob.AsSpan((int)headerLength));
        var kind = !ReferenceEquals(source, image.Main) ? HashSegmentSource.SegmentFile
            : (ulong)offset == headerLength && (ulong)image.Main.Length == headerLength + hashLength ? HashSegmentSource.AfterHeader
            : HashSegmentSource.AtOffset;
        return new MdtMetadata(blob, hashIndex, (int)headerLength, kind);
    }
}

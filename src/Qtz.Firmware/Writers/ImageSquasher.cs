using Qtz.Firmware.Images;

namespace Qtz.Firmware.Writers;

/// <summary>
/// .mdt + .bNN → .mbn, as pil-squasher does: the ELF header and program headers, then every segment with
/// file bytes at its p_offset (the hash segment taken from the .mdt), gaps zero-filled.
/// </summary>
public static class ImageSquasher
{
    public static void Squash(FirmwareImage image, Stream output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        var phdrs = image.ProgramHeaders;
        var end = (long)image.Header.PhdrTableEnd;
        foreach (var p in phdrs.Where(p => p.FileSize != 0))
        {
            if (p.FileEnd > 1UL << 40)
                FirmwareThrow.Format($"segment at p_offset 0x{p.Offset:X} + p_filesz 0x{p.FileSize:X} is beyond any plausible image size");
            end = Math.Max(end, (long)p.FileEnd);
        }

        output.SetLength(0);
        output.SetLength(end);
        SegmentCopier.Copy(image.Main, 0, (long)image.Header.PhdrTableEnd, output, 0);
        for (var i = 0; i < phdrs.Count; i++)
            SegmentCopier.CopySegment(image, i, output);
        output.Flush();
    }

    public static byte[] Squash(FirmwareImage image)
    {
        using var memory = new MemoryStream();
        Squash(image, memory);
        return memory.ToArray();
    }
}

using Qtz.Firmware.Images;

namespace Qtz.Firmware.Writers;

/// <summary>Streams byte ranges from image files into a seekable output through one pooled buffer.</summary>
internal static class SegmentCopier
{
    public static void Copy(ImageSource source, long offset, long length, Stream output, long outputOffset)
    {
        output.Position = outputOffset;
        source.ReadChunks(offset, length, output.Write);
    }

    /// <summary>Copies segment <paramref name="index"/>'s file bytes to its p_offset in <paramref name="output"/>.</summary>
    public static void CopySegment(FirmwareImage image, int index, Stream output)
    {
        var phdr = image.ProgramHeaders[index];
        if (phdr.FileSize == 0)
            return;
        var (source, offset) = image.Locate(index);
        Copy(source, offset, (long)phdr.FileSize, output, (long)phdr.Offset);
    }
}

using System.Buffers;
using Qtz.Firmware.Images;

namespace Qtz.Firmware.Writers;

/// <summary>Streams byte ranges from image files into a seekable output through one pooled buffer.</summary>
internal static class SegmentCopier
{
    public static void Copy(ImageSource source, long offset, long length, Stream output, long outputOffset)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(1 << 20, Math.Max(length, 1)));
        try
        {
            output.Position = outputOffset;
            while (length > 0)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, length));
                source.ReadExactly(offset, chunk);
                output.Write(chunk);
                offset += chunk.Length;
                length -= chunk.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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

    public static void WriteFile(string path, Action<Stream> write)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        write(file);
    }
}

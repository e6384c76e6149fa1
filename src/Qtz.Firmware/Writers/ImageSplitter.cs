using Qtz.Firmware.Images;

namespace Qtz.Firmware.Writers;

/// <summary>
/// .mbn → .mdt + .bNN, as pil-splitter does: the .mdt holds the ELF header + program headers followed by
/// the hash segment; every segment with file bytes goes to its own .bNN.
/// </summary>
public static class ImageSplitter
{
    /// <summary>Writes NAME.mdt and NAME.bNN into <paramref name="directory"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Split(FirmwareImage image, string directory, string baseName)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        var metadata = MdtMetadata.Build(image);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var mdt = Path.Combine(directory, baseName + ".mdt");
        File.WriteAllBytes(mdt, metadata.Blob);
        written.Add(mdt);
        for (var i = 0; i < image.ProgramHeaders.Count; i++)
        {
            var phdr = image.ProgramHeaders[i];
            if (phdr.FileSize == 0)
                continue;
            var path = Path.Combine(directory, SegmentFileName.For(baseName + ".mdt", i));
            var (source, offset) = image.Locate(i);
            SegmentCopier.WriteFile(path, s => SegmentCopier.Copy(source, offset, (long)phdr.FileSize, s, 0));
            written.Add(path);
        }

        return written;
    }
}

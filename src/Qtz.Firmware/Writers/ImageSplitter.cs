using Qtz.Firmware.Images;
using Qtz.Firmware.Mdt;

namespace Qtz.Firmware.Writers;

/// <summary>
/// .mbn → .mdt + .bNN, as pil-splitter does: the .mdt holds the ELF header + program headers followed by
/// the hash segment; every segment with file bytes goes to its own .bNN.
/// </summary>
public static class ImageSplitter
{
    /// <summary>
    /// Writes NAME.mdt and every NAME.bNN through <paramref name="create"/> (given the file name, it returns
    /// the stream to fill; the caller decides where files go and commits them together); returns the names.
    /// Everything is read and checked before the first byte is written.
    /// </summary>
    public static IReadOnlyList<string> Split(FirmwareImage image, Func<string, Stream> create, string baseName)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        var metadata = MdtMetadata.Build(image);
        var segments = Enumerable.Range(0, image.ProgramHeaders.Count).Where(i => image.ProgramHeaders[i].FileSize != 0)
            .Select(i => (Index: i, Location: image.Locate(i))).ToList();
        var mdt = baseName + ".mdt";
        create(mdt).Write(metadata.Blob);
        var written = new List<string> { mdt };
        foreach (var (i, (source, offset)) in segments)
        {
            var name = SegmentFileName.For(mdt, i);
            SegmentCopier.Copy(source, offset, (long)image.ProgramHeaders[i].FileSize, create(name), 0);
            written.Add(name);
        }

        return written;
    }
}

using Qtz.Firmware.Images;
using Qtz.Firmware.Writers;

namespace Qtz.Firmware.Tests.Support;

/// <summary>Writes squash and split outputs to plain files for tests (the CLI writes them atomically).</summary>
internal static class ImageFiles
{
    public static void Squash(FirmwareImage image, string path)
    {
        using var file = File.Create(path);
        ImageSquasher.Squash(image, file);
    }

    public static IReadOnlyList<string> Split(FirmwareImage image, string directory, string baseName)
    {
        Directory.CreateDirectory(directory);
        var streams = new List<Stream>();
        try
        {
            return ImageSplitter.Split(image, name =>
            {
                var stream = File.Create(Path.Combine(directory, name));
                streams.Add(stream);
                return stream;
            }, baseName);
        }
        finally
        {
            foreach (var s in streams)
                s.Dispose();
        }
    }
}

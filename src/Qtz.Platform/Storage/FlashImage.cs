using System.Globalization;
using Qtz.Soc.Nor;

namespace Qtz.Platform.Storage;

/// <summary>
/// Flash image files: exactly the array's bytes, a power of two between 64 KiB and 4 GiB. Opening
/// checks the file before anything maps it; creating refuses to overwrite.
/// </summary>
public static class FlashImage
{
    public const ulong MinSize = 64 << 10;
    public const ulong MaxSize = 4UL << 30;

    public static StorageFlash Open(string path, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new IOException($"image '{path}' is a directory, not a flash image file");
        if (!File.Exists(path)) throw new FileNotFoundException($"image '{path}' does not exist (use --create SIZE to make a new, all-0xFF one)", path);
        var length = (ulong)new FileInfo(path).Length;
        CheckSize(length, $"image '{path}' is {length} bytes");
        var geometry = NorPartTable.ForSize(length);
        return new StorageFlash(geometry, MappedImageStorage.Open(path, readOnly));
    }

    public static StorageFlash Create(string path, ulong size)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckSizeArgument(size);
        if (File.Exists(path) || Directory.Exists(path)) throw new IOException($"image '{path}' already exists; --create only makes new images");
        return new StorageFlash(NorPartTable.ForSize(size), MappedImageStorage.Create(path, size));
    }

    public static void CheckSizeArgument(ulong size)
    {
        if (!IsValidSize(size))
            throw new ArgumentException($"flash size {size} must be a power of two between 64 KiB and 4 GiB (e.g. 32MiB, the W25Q256JW)");
    }

    public static bool IsValidSize(ulong size) => size is >= MinSize and <= MaxSize && NorGeometry.IsPowerOfTwo(size);

    private static void CheckSize(ulong length, string what)
    {
        if (!IsValidSize(length))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{what}; a NOR flash image must be a power of two between 64 KiB and 4 GiB (a truncated or wrong file?)"));
    }
}

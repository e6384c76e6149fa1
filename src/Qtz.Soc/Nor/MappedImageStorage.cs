using System.IO.MemoryMappedFiles;

namespace Qtz.Soc.Nor;

/// <summary>
/// A flash array persisted in an image file that is memory-mapped: what the chip changes is in the
/// file (the OS writes it back; <see cref="Flush"/> forces it). The file is exactly the flash's bytes,
/// so `cat`, `dd` and `cmp` work on it. A new image is all 0xFF, as a factory-fresh part.
/// </summary>
public sealed class MappedImageStorage : INorStorage
{
    private const int FillChunk = 1 << 20;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly ulong _viewOffset;

    private MappedImageStorage(FileStream stream, ulong length, bool readOnly)
    {
        Length = length;
        IsReadOnly = readOnly;
        var access = readOnly ? MemoryMappedFileAccess.Read : MemoryMappedFileAccess.ReadWrite;
        _file = MemoryMappedFile.CreateFromFile(stream, null, (long)length, access, HandleInheritability.None, leaveOpen: false);
        _view = _file.CreateViewAccessor(0, (long)length, access);
        _viewOffset = (ulong)_view.PointerOffset;
    }

    public ulong Length { get; }

    public bool IsReadOnly { get; }

    public string? Path { get; private init; }

    /// <summary>Opens an existing image whose size the caller has validated.</summary>
    public static MappedImageStorage Open(string path, bool readOnly)
    {
        var stream = new FileStream(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite,
            readOnly ? FileShare.ReadWrite : FileShare.Read);
        try
        {
            return new MappedImageStorage(stream, (ulong)stream.Length, readOnly) { Path = path };
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Creates a new all-0xFF image of <paramref name="length"/> bytes; an existing file is an error.</summary>
    public static MappedImageStorage Create(string path, ulong length)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var ones = new byte[FillChunk];
            ones.AsSpan().Fill(0xFF);
            for (ulong done = 0; done < length;)
            {
                var n = (int)Math.Min((ulong)FillChunk, length - done);
                stream.Write(ones, 0, n);
                done += (ulong)n;
            }

            stream.Flush();
            stream.Position = 0;
            return new MappedImageStorage(stream, length, readOnly: false) { Path = path };
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    public void Read(ulong offset, Span<byte> destination) =>
        _view.SafeMemoryMappedViewHandle.ReadSpan(_viewOffset + offset, destination);

    public void Write(ulong offset, ReadOnlySpan<byte> source) =>
        _view.SafeMemoryMappedViewHandle.WriteSpan(_viewOffset + offset, source);

    public void Flush()
    {
        if (!IsReadOnly) _view.Flush();
    }

    public void Dispose()
    {
        Flush();
        _view.Dispose();
        _file.Dispose();
    }
}

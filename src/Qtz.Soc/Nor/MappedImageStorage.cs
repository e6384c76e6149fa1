using System.IO.MemoryMappedFiles;

namespace Qtz.Soc.Nor;

/// <summary>
/// A flash array persisted in an image file that is memory-mapped: what the chip changes is in the
/// file (the OS writes it back; <see cref="Flush"/> forces it). The file is exactly the flash's bytes,
/// so `cat`, `dd` and `cmp` work on it. A new image is all 0xFF, as a factory-fresh part.
/// Small accesses (page programs, status-sized reads) go through the mapping; bulk transfers of
/// <see cref="BulkThreshold"/> bytes or more use positional file I/O on the same file, which the
/// shared page cache keeps coherent with the mapping — first-touch page faults on a mapping cost
/// several times more than the kernel's copy, and a 1 GiB image would take them all. That includes
/// programming: the image does not lend its mapped bytes (<see cref="INorStorage.TryView"/>) for the
/// AND, because faulting the mapping in made a 1 GiB <c>qtz mtd write</c> 2.9× slower than reading the
/// old bytes with pread (933 against 326 ms on the reference VM, where each page fault is a VM exit).
/// </summary>
public sealed class MappedImageStorage : INorStorage
{
    public const int BulkThreshold = 16 << 10;
    private const int FillChunk = 1 << 20;
    private readonly FileStream _stream;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly ulong _viewOffset;
    private bool _disposed;

    private MappedImageStorage(FileStream stream, ulong length, bool readOnly)
    {
        Length = length;
        IsReadOnly = readOnly;
        _stream = stream;
        var access = readOnly ? MemoryMappedFileAccess.Read : MemoryMappedFileAccess.ReadWrite;
        _file = MemoryMappedFile.CreateFromFile(stream, null, (long)length, access, HandleInheritability.None, leaveOpen: true);
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

    public void Read(ulong offset, Span<byte> destination)
    {
        if (destination.Length < BulkThreshold) _view.SafeMemoryMappedViewHandle.ReadSpan(_viewOffset + offset, destination);
        else
        {
            while (!destination.IsEmpty)
            {
                var n = RandomAccess.Read(_stream.SafeFileHandle, destination, (long)offset);
                if (n <= 0) throw new IOException($"image '{Path}' ended at 0x{offset:x}, inside the flash");
                destination = destination[n..];
                offset += (ulong)n;
            }
        }
    }

    public void Read(ulong offset, IReadOnlyList<Memory<byte>> destinations)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        var total = 0L;
        foreach (var d in destinations) total += d.Length;
        var read = RandomAccess.Read(_stream.SafeFileHandle, destinations, (long)offset);
        if (read == total) return;
        // A short preadv (signals, huge lists): finish segment by segment.
        foreach (var d in destinations)
        {
            if (read >= d.Length)
            {
                read -= d.Length;
            }
            else
            {
                Read(offset + (ulong)read, d.Span[(int)read..]);
                read = 0;
            }

            offset += (ulong)d.Length;
        }
    }

    public void Write(ulong offset, IReadOnlyList<ReadOnlyMemory<byte>> sources) =>
        RandomAccess.Write(_stream.SafeFileHandle, sources, (long)offset);

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        if (source.Length < BulkThreshold) _view.SafeMemoryMappedViewHandle.WriteSpan(_viewOffset + offset, source);
        else RandomAccess.Write(_stream.SafeFileHandle, source, (long)offset);
    }

    public void Flush()
    {
        if (!IsReadOnly) _view.Flush();
    }

    // Closing leaves the bytes in the page cache for the OS to write back (like dd without
    // conv=fsync); Flush is the explicit "make it durable now" (msync with MS_SYNC).
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Disposing the accessor first would msync(MS_SYNC) the whole view: an fsync of the image on
        // every close, a quarter of a second per GiB written. Closing the view's handle unmaps it
        // without that, so the accessor finds it closed and skips the flush.
        _view.SafeMemoryMappedViewHandle.Dispose();
        _view.Dispose();
        _file.Dispose();
        _stream.Dispose();
    }
}

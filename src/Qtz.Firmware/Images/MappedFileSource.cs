using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Qtz.Firmware.Images;

/// <summary>
/// An image file on disk. Small reads are positional (pread). A file of <see cref="MapThreshold"/> bytes
/// or more is mapped read-only, whole and once, on the first range streamed by <see cref="ReadChunks"/>
/// (a segment being hashed or copied), and every streamed range is then lent from that mapping: the
/// hash reads the page cache in place instead of a copy of it. On a 22 MB image the copies and the
/// page faults of the buffers they filled were a third of a verify's CPU time; on a 1 GiB segment the
/// copy costs ~55 ms per GiB. One mapping for the whole file, rather than one per segment, costs one
/// mmap for an image of 57 segments.
/// </summary>
/// <remarks>
/// The price of mapping, as for every mmap reader (b3sum, git): if another process truncates the file
/// while a mapped range is being read, the kernel raises SIGBUS and the process dies. qtz maps only
/// files it opened read-only, checks the file's length before lending each range, and
/// <c>qtz fw verify --no-mmap</c> (here <c>memoryMap: false</c>) reads every byte with pread for files
/// that may change underneath.
/// </remarks>
internal sealed unsafe class MappedFileSource : ImageSource
{
    /// <summary>Files below this are read with pread: a mapping costs a few system calls and page faults of its own.</summary>
    public const long MapThreshold = 256L << 10;

    private readonly SafeFileHandle _handle;
    private readonly bool _memoryMap;
    private readonly Lazy<Mapping?> _mapping;

    public MappedFileSource(string path, bool memoryMap)
    {
        Name = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        Length = RandomAccess.GetLength(_handle);
        _memoryMap = memoryMap;
        _mapping = new Lazy<Mapping?>(Map, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public override string Name { get; }

    public override long Length { get; }

    public override void ReadExactly(long offset, Span<byte> destination)
    {
        FirmwareThrow.RequireRange((ulong)offset, (ulong)destination.Length, (ulong)Length, Name);
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(_handle, destination, offset);
            if (read <= 0)
                throw new IOException($"{Name}: file shrank while reading at offset 0x{offset:X}");
            destination = destination[read..];
            offset += read;
        }
    }

    public override void ReadChunks(long offset, long length, Action<ReadOnlySpan<byte>> consume)
    {
        ArgumentNullException.ThrowIfNull(consume);
        FirmwareThrow.RequireRange((ulong)offset, (ulong)length, (ulong)Length, Name);
        // A file that shrank since it was opened is read with pread, which names the offset where it ends.
        if (!_memoryMap || Length < MapThreshold || length == 0 || _mapping.Value is not { } mapping
            || offset + length > RandomAccess.GetLength(_handle))
        {
            base.ReadChunks(offset, length, consume);
            return;
        }

        for (var at = 0L; at < length; at += ChunkSize)
            consume(new ReadOnlySpan<byte>(mapping.Start + offset + at, (int)Math.Min(ChunkSize, length - at)));
    }

    // Null when the file cannot be mapped (a pipe, a special file): such a source reads with pread.
    private Mapping? Map()
    {
        MemoryMappedFile? file = null;
        try
        {
            file = MemoryMappedFile.CreateFromFile(_handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            var view = file.CreateViewAccessor(0, Length, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            return new Mapping(file, view, start + view.PointerOffset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            file?.Dispose();
            return null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_mapping.IsValueCreated) _mapping.Value?.Dispose();
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Mapping(MemoryMappedFile file, MemoryMappedViewAccessor view, byte* start) : IDisposable
    {
        public byte* Start { get; } = start;

        public void Dispose()
        {
            var handle = view.SafeMemoryMappedViewHandle;
            handle.ReleasePointer();
            // Unmap before the accessor's Dispose, which would msync(MS_SYNC) the view: an fsync of a
            // file that was only read.
            handle.Dispose();
            view.Dispose();
            file.Dispose();
        }
    }
}

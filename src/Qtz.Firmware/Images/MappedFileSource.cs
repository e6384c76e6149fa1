using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Qtz.Firmware.Images;

/// <summary>
/// An image file on disk, read with pread (<see cref="ImageSource.ReadChunks"/> streams a range through
/// one small buffer that stays in the CPU cache between the copy and the hash). Optionally a file of
/// <see cref="MapThreshold"/> bytes or more is mapped read-only, whole and once, and streamed ranges are
/// lent from the mapping instead of copied.
/// </summary>
/// <remarks>
/// pread is the default because it measured cheaper on the reference machine (a two-core VM, Linux 6.x,
/// files in the page cache; CPU time of hashing with SHA-384, user + system): a real 22 MB v7 image
/// (57 segments) cost 32–34 ms through a 64 KiB buffer, 38–39 ms through a 1 MiB one and 46–50 ms
/// through one mapping; a 247 MiB range 404 ms against 491–545 ms mapped. In a VM every page fault
/// is an exit to the hypervisor, and a mapping takes one per 64 KiB of file (fault-around) plus the
/// unmap, which cost more than copying the same bytes into a buffer that stays in the cache.
/// The price of mapping, as for every mmap reader (b3sum, git): if another process truncates the file
/// while a mapped range is being read, the kernel raises SIGBUS and the process dies. qtz maps only
/// files it opened read-only and checks the file's length before lending each range.
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
        // no FileOptions.RandomAccess: that hint turns off read-ahead, and segments are read front to back
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
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

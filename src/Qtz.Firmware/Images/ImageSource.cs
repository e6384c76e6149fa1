using Microsoft.Win32.SafeHandles;

namespace Qtz.Firmware.Images;

/// <summary>
/// Random-access bytes of one file of an image (.mbn, .mdt or .bNN), in memory or on disk. Reads go
/// straight into the caller's buffer (pread), so hashing a large image never holds the whole file;
/// sources that can lend their bytes (memory, a mapped file) hand them over without a copy.
/// </summary>
public abstract class ImageSource : IDisposable
{
    /// <summary>A name for messages: the file path, or "&lt;memory&gt;".</summary>
    public abstract string Name { get; }

    public abstract long Length { get; }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; the range must lie inside.</summary>
    public abstract void ReadExactly(long offset, Span<byte> destination);

    public byte[] ReadBytes(long offset, int count)
    {
        var bytes = new byte[count];
        ReadExactly(offset, bytes);
        return bytes;
    }

    /// <summary>
    /// Streams [offset, offset+length) to <paramref name="consume"/> a chunk at a time (chunks of at most
    /// <see cref="ChunkSize"/> bytes, so progress can be reported): through one pooled buffer of
    /// <see cref="ReadBufferSize"/> bytes by default, straight from the bytes where a source can lend them.
    /// </summary>
    public virtual void ReadChunks(long offset, long length, Action<ReadOnlySpan<byte>> consume)
    {
        ArgumentNullException.ThrowIfNull(consume);
        FirmwareThrow.RequireRange((ulong)offset, (ulong)length, (ulong)Length, Name);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(ReadBufferSize, Math.Max(length, 1)));
        try
        {
            while (length > 0)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, length));
                ReadExactly(offset, chunk);
                consume(chunk);
                offset += chunk.Length;
                length -= chunk.Length;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hands <paramref name="bytes"/> to <paramref name="consume"/> in chunks of at most <see cref="ChunkSize"/>.</summary>
    protected static void Lend(ReadOnlySpan<byte> bytes, Action<ReadOnlySpan<byte>> consume)
    {
        ArgumentNullException.ThrowIfNull(consume);
        for (var at = 0; at < bytes.Length; at += ChunkSize)
            consume(bytes.Slice(at, Math.Min(ChunkSize, bytes.Length - at)));
    }

    public const int ChunkSize = 1 << 20;

    /// <summary>
    /// The copy buffer of a read: small enough to stay in a core's L2 cache, so the hash reads the bytes
    /// the copy just wrote from the cache (on the reference machine 64 KiB hashed a 22 MB image with 15%
    /// less CPU than 1 MiB).
    /// </summary>
    public const int ReadBufferSize = 64 << 10;

    public static ImageSource FromMemory(ReadOnlyMemory<byte> bytes, string name = "<memory>") => new MemorySource(bytes, name);

    /// <summary>
    /// A file on disk, read with pread; with <paramref name="memoryMap"/>, a file of
    /// <see cref="MappedFileSource.MapThreshold"/> bytes or more is streamed from a read-only mapping
    /// instead (see <see cref="MappedFileSource"/> for why that is not the default).
    /// </summary>
    public static ImageSource OpenFile(string path, bool memoryMap = false) => new MappedFileSource(path, memoryMap);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    private sealed class MemorySource(ReadOnlyMemory<byte> bytes, string name) : ImageSource
    {
        public override string Name => name;

        public override long Length => bytes.Length;

        public override void ReadExactly(long offset, Span<byte> destination)
        {
            FirmwareThrow.RequireRange((ulong)offset, (ulong)destination.Length, (ulong)bytes.Length, name);
            bytes.Span.Slice((int)offset, destination.Length).CopyTo(destination);
        }

        public override void ReadChunks(long offset, long length, Action<ReadOnlySpan<byte>> consume)
        {
            FirmwareThrow.RequireRange((ulong)offset, (ulong)length, (ulong)bytes.Length, name);
            Lend(bytes.Span.Slice((int)offset, (int)length), consume);
        }
    }
}

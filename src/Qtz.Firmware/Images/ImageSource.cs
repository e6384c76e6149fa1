using Microsoft.Win32.SafeHandles;

namespace Qtz.Firmware.Images;

/// <summary>
/// Random-access bytes of one file of an image (.mbn, .mdt or .bNN), in memory or on disk. Reads go
/// straight into the caller's buffer (pread), so hashing a large image never copies the whole file.
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

    /// <summary>Streams [offset, offset+length) through one pooled buffer, a chunk at a time.</summary>
    public void ReadChunks(long offset, long length, Action<ReadOnlySpan<byte>> consume)
    {
        ArgumentNullException.ThrowIfNull(consume);
        FirmwareThrow.RequireRange((ulong)offset, (ulong)length, (ulong)Length, Name);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkSize, Math.Max(length, 1)));
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

    private const int ChunkSize = 1 << 20;

    public static ImageSource FromMemory(ReadOnlyMemory<byte> bytes, string name = "<memory>") => new MemorySource(bytes, name);

    public static ImageSource OpenFile(string path) => new FileSource(path);

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
    }

    private sealed class FileSource : ImageSource
    {
        private readonly SafeFileHandle handle;

        public FileSource(string path)
        {
            Name = path;
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
            Length = RandomAccess.GetLength(handle);
        }

        public override string Name { get; }

        public override long Length { get; }

        public override void ReadExactly(long offset, Span<byte> destination)
        {
            FirmwareThrow.RequireRange((ulong)offset, (ulong)destination.Length, (ulong)Length, Name);
            while (destination.Length > 0)
            {
                var read = RandomAccess.Read(handle, destination, offset);
                if (read <= 0)
                    throw new IOException($"{Name}: file shrank while reading at offset 0x{offset:X}");
                destination = destination[read..];
                offset += read;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) handle.Dispose();
            base.Dispose(disposing);
        }
    }
}

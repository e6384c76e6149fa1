using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Qtz.Soc.Bus;

/// <summary>
/// RAM that another process owns, mapped shared from its file: a QEMU guest started with
/// <c>-object memory-backend-file,mem-path=FILE,share=on</c> keeps its RAM in FILE, and qtz maps the
/// same pages. A read sees what the guest stored, a write is what the guest loads next — one memory,
/// no copies. Ordering with the guest is the caller's business: a mailbox publishes with
/// <see cref="WriteUInt64Release"/> and observes with <see cref="ReadUInt64Acquire"/>.
/// </summary>
public sealed unsafe class MappedFileRam : IRamBacking, IDisposable
{
    // Memory<byte> spans at most int.MaxValue bytes: Gather hands out pieces of 1 GiB windows.
    private const int WindowShift = 30;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly PointerMemory[] _windows;
    private bool _disposed;

    private MappedFileRam(MemoryMappedFile file, MemoryMappedViewAccessor view, ulong length, string path)
    {
        _file = file;
        _view = view;
        SizeInBytes = length;
        Path = path;
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
        var count = (int)((length - 1 >> WindowShift) + 1);
        _windows = new PointerMemory[count];
        for (var i = 0; i < count; i++)
        {
            var start = (ulong)i << WindowShift;
            _windows[i] = new PointerMemory(_base + start, (int)Math.Min(1UL << WindowShift, length - start));
        }
    }

    public ulong SizeInBytes { get; }

    public string Path { get; }

    /// <summary>The pages are the other process's: this process allocates nothing for them.</summary>
    public ulong TouchedBytes => 0;

    /// <summary>Maps the whole of an existing file read-write, shared (the file must not shrink while mapped).</summary>
    public static MappedFileRam Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var length = (ulong)stream.Length;
        if (length == 0) throw new ArgumentException($"{path}: the RAM file is empty", nameof(path));
        var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        try
        {
            return new MappedFileRam(file, file.CreateViewAccessor(0, (long)length, MemoryMappedFileAccess.ReadWrite), length, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Creates (or truncates to) a zero-filled sparse file of <paramref name="length"/> bytes and maps it.</summary>
    public static MappedFileRam Create(string path, ulong length)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (length == 0) throw new ArgumentOutOfRangeException(nameof(length), "RAM must have a size");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite))
            stream.SetLength((long)length);
        return Open(path);
    }

    public void Read(ulong offset, Span<byte> destination)
    {
        CheckRange(offset, (ulong)destination.Length);
        new ReadOnlySpan<byte>(_base + offset, destination.Length).CopyTo(destination);
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, (ulong)source.Length);
        source.CopyTo(new Span<byte>(_base + offset, source.Length));
    }

    public void Fill(ulong offset, ulong length, byte value)
    {
        CheckRange(offset, length);
        for (ulong done = 0; done < length;)
        {
            var n = (int)Math.Min(length - done, int.MaxValue);
            new Span<byte>(_base + offset + done, n).Fill(value);
            done += (ulong)n;
        }
    }

    public void Visit<TState>(ulong offset, ulong length, TState state, ReadOnlySpanAction<byte, TState> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        CheckRange(offset, length);
        for (ulong done = 0; done < length;)
        {
            var n = (int)Math.Min(length - done, 1UL << WindowShift);
            visit(new ReadOnlySpan<byte>(_base + offset + done, n), state);
            done += (ulong)n;
        }
    }

    public void Gather(ulong offset, ulong length, bool forWrite, List<Memory<byte>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        CheckRange(offset, length);
        while (length > 0)
        {
            var window = _windows[offset >> WindowShift];
            var inWindow = (int)(offset & ((1UL << WindowShift) - 1));
            var n = (int)Math.Min((ulong)(window.Length - inWindow), length);
            segments.Add(window.Memory.Slice(inWindow, n));
            offset += (ulong)n;
            length -= (ulong)n;
        }
    }

    /// <summary>A 64-bit word the other side published (load-acquire).</summary>
    public ulong ReadUInt64Acquire(ulong offset)
    {
        CheckWord(offset);
        return Volatile.Read(ref *(ulong*)(_base + offset));
    }

    /// <summary>Publishes a 64-bit word after every earlier store (store-release).</summary>
    public void WriteUInt64Release(ulong offset, ulong value)
    {
        CheckWord(offset);
        Volatile.Write(ref *(ulong*)(_base + offset), value);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private void CheckRange(ulong offset, ulong length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset > SizeInBytes || length > SizeInBytes - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"0x{offset:x}+0x{length:x} is outside this 0x{SizeInBytes:x}-byte memory");
    }

    private void CheckWord(ulong offset)
    {
        CheckRange(offset, 8);
        if ((offset & 7) != 0) throw new ArgumentOutOfRangeException(nameof(offset), $"0x{offset:x} is not 8-byte aligned");
    }

    /// <summary>Lends a piece of the mapping as <see cref="Memory{T}"/>; valid while the mapping is.</summary>
    private sealed class PointerMemory(byte* pointer, int length) : MemoryManager<byte>
    {
        public int Length => length;

        public override Span<byte> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}

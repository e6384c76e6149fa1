namespace Qtz.Soc.Nor;

/// <summary>
/// The bits of the flash array. The chip decides what may change (program clears, erase sets); a
/// storage only holds bytes. Offsets are always inside <see cref="Length"/> (the chip wraps them).
/// </summary>
public interface INorStorage : IDisposable
{
    ulong Length { get; }

    bool IsReadOnly { get; }

    void Read(ulong offset, Span<byte> destination);

    void Write(ulong offset, ReadOnlySpan<byte> source);

    /// <summary>Fills <paramref name="destinations"/> in order from consecutive bytes at <paramref name="offset"/> (a scatter list: one preadv for a file).</summary>
    void Read(ulong offset, IReadOnlyList<Memory<byte>> destinations)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        foreach (var destination in destinations)
        {
            Read(offset, destination.Span);
            offset += (ulong)destination.Length;
        }
    }

    /// <summary>Stores <paramref name="sources"/> in order as consecutive bytes at <paramref name="offset"/> (a gather list: one pwritev for a file).</summary>
    void Write(ulong offset, IReadOnlyList<ReadOnlyMemory<byte>> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var source in sources)
        {
            Write(offset, source.Span);
            offset += (ulong)source.Length;
        }
    }

    /// <summary>
    /// The stored bytes of [offset, offset + length) in place, when the storage can lend them without
    /// a copy (an array, a mapped file): programming ANDs new data straight against them. The span is
    /// valid until the next write to the range; false means "read them instead".
    /// </summary>
    bool TryView(ulong offset, int length, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        return false;
    }

    /// <summary>Makes written bytes durable (for a file: on disk).</summary>
    void Flush();
}

/// <summary>A flash array in host memory: tests, dry runs and benchmarks.</summary>
public sealed class MemoryNorStorage : INorStorage
{
    private readonly byte[] _bytes;

    public MemoryNorStorage(ulong length, byte fill = 0xFF)
    {
        if (length == 0 || length > (ulong)Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), $"0x{length:x} bytes cannot be held in one host array");
        _bytes = new byte[length];
        _bytes.AsSpan().Fill(fill);
    }

    public MemoryNorStorage(byte[] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        _bytes = contents;
    }

    public ulong Length => (ulong)_bytes.LongLength;

    public bool IsReadOnly => false;

    /// <summary>The live array (tests compare it with a reference model).</summary>
    public ReadOnlySpan<byte> Contents => _bytes;

    public void Read(ulong offset, Span<byte> destination) => _bytes.AsSpan(checked((int)offset), destination.Length).CopyTo(destination);

    public void Write(ulong offset, ReadOnlySpan<byte> source) => source.CopyTo(_bytes.AsSpan(checked((int)offset), source.Length));

    public bool TryView(ulong offset, int length, out ReadOnlySpan<byte> bytes)
    {
        bytes = _bytes.AsSpan(checked((int)offset), length);
        return true;
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}

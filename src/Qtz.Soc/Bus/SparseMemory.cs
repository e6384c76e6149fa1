using System.Buffers;

namespace Qtz.Soc.Bus;

/// <summary>
/// RAM that costs nothing until touched: 4 KiB pages are allocated on first write, reads of untouched
/// pages return zeros, and writing or filling a whole page with zeros releases it again (a scrubbed
/// carveout goes back to costing nothing). Lookup is two array indexations (16 MiB directories of page
/// references), so a 64 GiB region needs 4096 directory slots (32 KiB) up front and nothing else; a
/// directory stays under the large-object threshold, so building a board (thousands of times when
/// fuzzing) allocates no large objects for it. Page allocation is lock-free, so several masters may
/// use the memory from several threads.
/// </summary>
public sealed class SparseMemory : IRamBacking
{
    public const int PageSize = 4096;
    private const int PageShift = 12;
    private const int DirectoryShift = 24; // 16 MiB per directory: 32 KiB, under the large-object-heap threshold
    private const int PagesPerDirectory = 1 << (DirectoryShift - PageShift);
    private static readonly byte[] ZeroPage = new byte[PageSize];

    private readonly byte[]?[]?[] _directories;
    private long _touchedPages;

    public SparseMemory(ulong sizeInBytes)
    {
        if (sizeInBytes == 0)
            throw new ArgumentOutOfRangeException(nameof(sizeInBytes), "memory must have a size");
        SizeInBytes = sizeInBytes;
        var directories = (sizeInBytes - 1 >> DirectoryShift) + 1;
        if (directories > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(sizeInBytes), $"0x{sizeInBytes:x} bytes is beyond what one RAM region can model");
        _directories = new byte[]?[]?[directories];
    }

    public ulong SizeInBytes { get; }

    /// <summary>Bytes actually backed by host memory (pages written with something other than zeros).</summary>
    public ulong TouchedBytes => (ulong)Interlocked.Read(ref _touchedPages) * PageSize;

    public void Read(ulong offset, Span<byte> destination)
    {
        CheckRange(offset, (ulong)destination.Length);
        while (!destination.IsEmpty)
        {
            var inPage = (int)(offset & (PageSize - 1));
            var n = Math.Min(PageSize - inPage, destination.Length);
            var page = PageAt(offset);
            if (page is null) destination[..n].Clear();
            else page.AsSpan(inPage, n).CopyTo(destination);
            destination = destination[n..];
            offset += (ulong)n;
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, (ulong)source.Length);
        while (!source.IsEmpty)
        {
            var inPage = (int)(offset & (PageSize - 1));
            var n = Math.Min(PageSize - inPage, source.Length);
            var chunk = source[..n];
            if (n == PageSize && !chunk.ContainsAnyExcept((byte)0)) ReleasePage(offset);
            else if (PageAt(offset) is { } page) chunk.CopyTo(page.AsSpan(inPage));
            else if (chunk.ContainsAnyExcept((byte)0)) chunk.CopyTo(AllocatePage(offset).AsSpan(inPage));
            source = source[n..];
            offset += (ulong)n;
        }
    }

    /// <summary>Sets <paramref name="length"/> bytes to <paramref name="value"/>; zero-filled whole pages are released.</summary>
    public void Fill(ulong offset, ulong length, byte value)
    {
        CheckRange(offset, length);
        while (length > 0)
        {
            var inPage = (int)(offset & (PageSize - 1));
            var n = (int)Math.Min((ulong)(PageSize - inPage), length);
            if (value == 0 && n == PageSize) ReleasePage(offset);
            else if (PageAt(offset) is { } page) page.AsSpan(inPage, n).Fill(value);
            else if (value != 0) AllocatePage(offset).AsSpan(inPage, n).Fill(value);
            length -= (ulong)n;
            offset += (ulong)n;
        }
    }

    /// <summary>
    /// Hands the bytes of [offset, offset + length) to <paramref name="visit"/> in page-sized chunks
    /// without copying — how a hash is computed "in place" over a loaded segment.
    /// </summary>
    public void Visit<TState>(ulong offset, ulong length, TState state, ReadOnlySpanAction<byte, TState> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        CheckRange(offset, length);
        while (length > 0)
        {
            var inPage = (int)(offset & (PageSize - 1));
            var n = (int)Math.Min((ulong)(PageSize - inPage), length);
            visit((PageAt(offset) ?? ZeroPage).AsSpan(inPage, n), state);
            length -= (ulong)n;
            offset += (ulong)n;
        }
    }

    /// <summary>
    /// The host buffers behind [offset, offset + length), page by page, for a device's scatter-gather
    /// DMA (one preadv/pwritev instead of a copy through a staging buffer). For a device write
    /// (<paramref name="forWrite"/>) untouched pages are allocated; for a device read they appear as a
    /// shared zero page, which the caller must only read.
    /// </summary>
    public void Gather(ulong offset, ulong length, bool forWrite, List<Memory<byte>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        CheckRange(offset, length);
        while (length > 0)
        {
            var inPage = (int)(offset & (PageSize - 1));
            var n = (int)Math.Min((ulong)(PageSize - inPage), length);
            var page = PageAt(offset) ?? (forWrite ? AllocatePage(offset) : ZeroPage);
            segments.Add(page.AsMemory(inPage, n));
            length -= (ulong)n;
            offset += (ulong)n;
        }
    }

    private void CheckRange(ulong offset, ulong length)
    {
        if (offset > SizeInBytes || length > SizeInBytes - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"0x{offset:x}+0x{length:x} is outside this 0x{SizeInBytes:x}-byte memory");
    }

    private byte[]? PageAt(ulong offset)
    {
        var directory = Volatile.Read(ref _directories[offset >> DirectoryShift]);
        return directory is null ? null : Volatile.Read(ref directory[(offset >> PageShift) & (PagesPerDirectory - 1)]);
    }

    private byte[] AllocatePage(ulong offset)
    {
        ref var directorySlot = ref _directories[offset >> DirectoryShift];
        var directory = Volatile.Read(ref directorySlot);
        if (directory is null)
        {
            Interlocked.CompareExchange(ref directorySlot, new byte[]?[PagesPerDirectory], null);
            directory = Volatile.Read(ref directorySlot)!;
        }

        ref var pageSlot = ref directory[(offset >> PageShift) & (PagesPerDirectory - 1)];
        var fresh = new byte[PageSize];
        var existing = Interlocked.CompareExchange(ref pageSlot, fresh, null);
        if (existing is not null) return existing;
        Interlocked.Increment(ref _touchedPages);
        return fresh;
    }

    private void ReleasePage(ulong offset)
    {
        var directory = Volatile.Read(ref _directories[offset >> DirectoryShift]);
        if (directory is null) return;
        if (Interlocked.Exchange(ref directory[(offset >> PageShift) & (PagesPerDirectory - 1)], null) is not null)
            Interlocked.Decrement(ref _touchedPages);
    }
}

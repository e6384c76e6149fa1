namespace Qtz.Soc.Nor;

/// <summary>
/// What a flash controller's driver loop does for a large transfer — WREN, Page Program, poll, page
/// after page (or erase after erase) — done in one step. The result, the counters and the virtual
/// time are exactly those of the single commands; when a power cut falls inside the sequence or
/// someone traces operations, it runs command by command so the cut and the trace are exact.
/// </summary>
public sealed partial class NorChip
{
    private const int BulkChunk = 256 << 10;
    private byte[]? _bulk;

    /// <summary>Programs <paramref name="data"/> at <paramref name="address"/>, one page (or page remainder) per command.</summary>
    public void ProgramSequence(ulong address, ReadOnlySpan<byte> data)
    {
        var page = (ulong)Geometry.PageSize;
        var total = SequenceProgramTime(address, data.Length);
        if (!CanRunInBulk(total) || address + (ulong)data.Length > Geometry.SizeInBytes)
        {
            while (!data.IsEmpty)
            {
                var n = (int)Math.Min((ulong)data.Length, page - address % page);
                WriteEnable();
                PageProgram(address, data[..n]);
                WaitWhileBusy();
                address += (ulong)n;
                data = data[n..];
            }

            return;
        }

        var buffer = _bulk ??= new byte[BulkChunk];
        for (var done = 0; done < data.Length;)
        {
            var n = Math.Min(buffer.Length, data.Length - done);
            var chunk = buffer.AsSpan(0, n);
            NorBits.Program(chunk, StoredBytes(address + (ulong)done, chunk), data.Slice(done, n));
            _storage.Write(address + (ulong)done, chunk);
            done += n;
        }

        WriteEnableLatch = false;
        Clock.Advance(total);
    }

    /// <summary>
    /// Programs the bytes of a DMA gather list (the controller's descriptors) as one consecutive run at
    /// <paramref name="address"/>: each chunk is the stored bytes (lent in place by the storage when it
    /// can, read otherwise) ANDed with the segments, with no staging copy of the data.
    /// </summary>
    public void ProgramSequence(ulong address, IReadOnlyList<ReadOnlyMemory<byte>> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var length = 0L;
        foreach (var s in sources) length += s.Length;
        var total = length <= int.MaxValue ? SequenceProgramTime(address, (int)length) : TimeSpan.MaxValue;
        if (length > int.MaxValue || !CanRunInBulk(total) || address + (ulong)length > Geometry.SizeInBytes)
        {
            foreach (var s in sources)
            {
                ProgramSequence(address, s.Span);
                address += (ulong)s.Length;
            }

            return;
        }

        var buffer = _bulk ??= new byte[BulkChunk];
        var segment = 0;
        var inSegment = 0;
        for (var done = 0L; done < length;)
        {
            var n = (int)Math.Min(buffer.Length, length - done);
            var chunk = buffer.AsSpan(0, n);
            var stored = StoredBytes(address + (ulong)done, chunk);

            for (var filled = 0; filled < n;)
            {
                var piece = sources[segment].Span[inSegment..];
                var m = Math.Min(piece.Length, n - filled);
                NorBits.Program(chunk.Slice(filled, m), stored.Slice(filled, m), piece[..m]);
                filled += m;
                inSegment += m;
                if (inSegment == sources[segment].Length)
                {
                    segment++;
                    inSegment = 0;
                }
            }

            _storage.Write(address + (ulong)done, chunk);
            done += n;
        }

        WriteEnableLatch = false;
        Clock.Advance(total);
    }

    /// <summary>Erases <paramref name="count"/> consecutive <paramref name="unit"/>s starting with the one holding <paramref name="address"/>.</summary>
    public void EraseSequence(NorEraseUnit unit, ulong address, long count)
    {
        var size = unit switch
        {
            NorEraseUnit.Sector => (ulong)Geometry.SectorSize,
            NorEraseUnit.Block64 => (ulong)Geometry.BlockSize,
            _ => 0UL,
        };
        var start = address & ~(size - 1);
        var total = Geometry.Timings.EraseTime(unit) * count;
        if (size == 0 || !CanRunInBulk(total) || start + size * (ulong)count > Geometry.SizeInBytes)
        {
            for (long i = 0; i < count; i++)
            {
                WriteEnable();
                Erase(unit, address + (ulong)i * size);
                WaitWhileBusy();
            }

            return;
        }

        EraseRange(start, size * (ulong)count);
        WriteEnableLatch = false;
        Clock.Advance(total);
    }

    /// <summary>
    /// The stored bytes under <paramref name="chunk"/>: lent in place by the storage when it can,
    /// otherwise read into <paramref name="chunk"/> (programming then ANDs in place, index by index).
    /// </summary>
    private ReadOnlySpan<byte> StoredBytes(ulong address, Span<byte> chunk)
    {
        if (_storage.TryView(address, chunk.Length, out var stored)) return stored;
        _storage.Read(address, chunk);
        return chunk;
    }

    private TimeSpan SequenceProgramTime(ulong address, int length)
    {
        var page = Geometry.PageSize;
        var head = (int)Math.Min((ulong)length, (ulong)page - address % (ulong)page);
        var full = (length - head) / page;
        var tail = length - head - full * page;
        return Geometry.Timings.ProgramTime(head) + Geometry.Timings.PageProgram * full + Geometry.Timings.ProgramTime(tail);
    }

    private bool CanRunInBulk(TimeSpan total) =>
        OperationStarted is null && IsPowered && !IsBusy && (PowerCutAt is not { } cut || cut > Clock.Now + total);
}

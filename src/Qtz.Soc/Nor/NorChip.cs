using Qtz.Soc.Time;


namespace Qtz.Soc.Nor;

/// <summary>
/// A serial NOR flash as its command set sees it (spec/mtd.md §2.1, §2.5): erase sets a whole aligned
/// unit to 0xFF, page program ANDs bytes in and wraps inside the 256-byte page, both need the write
/// enable latch and clear it when they finish, and both are self-timed — the chip is busy (status WIP)
/// for the datasheet time on the <see cref="VirtualClock"/>. Commands sent while busy or without WEL
/// are ignored, as by the real part, and counted. A power cut can be scheduled at any virtual instant:
/// an operation running then leaves a partial state the physics allows, and nothing after it happens.
/// </summary>
public sealed partial class NorChip : IDisposable
{
    private static readonly byte[] Ones = CreateOnes();
    private readonly INorStorage _storage;
    private readonly uint[] _eraseCounts;
    private readonly ulong _addressMask;
    private long _busyUntil;
    private long _ignoredCommands;

    public NorChip(NorGeometry geometry, INorStorage storage, VirtualClock clock)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(clock);
        if (storage.Length != geometry.SizeInBytes)
            throw new ArgumentException($"storage of 0x{storage.Length:x} bytes does not match the {geometry.PartName}'s 0x{geometry.SizeInBytes:x}");
        Geometry = geometry;
        Clock = clock;
        _storage = storage;
        _eraseCounts = new uint[geometry.SectorCount];
        _addressMask = geometry.SizeInBytes - 1;
    }

    public NorGeometry Geometry { get; }

    public VirtualClock Clock { get; }

    /// <summary>Write enable latch (status bit 1).</summary>
    public bool WriteEnableLatch { get; private set; }

    /// <summary>Write in progress (status bit 0): a program or erase is still running.</summary>
    public bool IsBusy => Clock.Now.Nanoseconds < Interlocked.Read(ref _busyUntil) && IsPowered;

    /// <summary>Status register 1 as RDSR (05h) returns it.</summary>
    public byte Status => (byte)((IsBusy ? 1 : 0) | (WriteEnableLatch ? 2 : 0));

    /// <summary>Commands dropped because the chip was busy, WEL was clear, or power was off.</summary>
    public long IgnoredCommands => Interlocked.Read(ref _ignoredCommands);

    /// <summary>Raised for every program and erase the array starts (the flash trace).</summary>
    public event Action<NorOperation>? OperationStarted;

    public uint EraseCount(long sector) => _eraseCounts[sector];

    public IReadOnlyList<uint> EraseCounts => _eraseCounts;

    /// <summary>Sectors erased more often than the part's endurance: their erases leave stuck bits.</summary>
    public bool IsWornOut(long sector) => _eraseCounts[sector] > (uint)Geometry.EnduranceCycles;

    /// <summary>WREN (06h).</summary>
    public void WriteEnable()
    {
        if (Accepts()) WriteEnableLatch = true;
    }

    /// <summary>WRDI (04h).</summary>
    public void WriteDisable()
    {
        if (Accepts()) WriteEnableLatch = false;
    }

    /// <summary>
    /// Fast Read: bytes from <paramref name="address"/> on, wrapping at the top of the array like the
    /// real part; the transfer's bus time passes on the clock. A read while busy or unpowered is
    /// ignored and the destination is left as it was (the bus would float).
    /// </summary>
    public void Read(ulong address, Span<byte> destination)
    {
        if (!Accepts()) return;
        var start = Clock.Now;
        var duration = Geometry.Timings.ReadTime(destination.Length);
        if (CutDuring(start, duration)) return;
        address &= _addressMask;
        while (!destination.IsEmpty)
        {
            var n = (int)Math.Min((ulong)destination.Length, Geometry.SizeInBytes - address);
            _storage.Read(address, destination[..n]);
            destination = destination[n..];
            address = 0;
        }

        Clock.Advance(duration);
    }

    /// <summary>
    /// Fast Read straight into a DMA scatter list (the controller's descriptors): the same command,
    /// timing and wrap-around as <see cref="Read(ulong, Span{byte})"/>, with no staging copy.
    /// </summary>
    public void Read(ulong address, IReadOnlyList<Memory<byte>> destinations)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        var total = 0UL;
        foreach (var d in destinations) total += (ulong)d.Length;
        address &= _addressMask;
        if (total > Geometry.SizeInBytes - address || total > int.MaxValue)
        {
            // Wraps past the top of the array: rare enough to go segment by segment.
            foreach (var d in destinations)
            {
                Read(address, d.Span);
                address = (address + (ulong)d.Length) & _addressMask;
            }

            return;
        }

        if (!Accepts()) return;
        var duration = Geometry.Timings.ReadTime((int)total);
        if (CutDuring(Clock.Now, duration)) return;
        _storage.Read(address, destinations);
        Clock.Advance(duration);
    }

    /// <summary>
    /// Page Program (02h): up to one page, ANDed in. Bytes that run past the end of the page wrap to
    /// its start; of more than a page only the last page's worth is programmed (datasheet rule).
    /// </summary>
    public void PageProgram(ulong address, ReadOnlySpan<byte> data)
    {
        if (!Accepts() || !WriteEnableLatch || data.IsEmpty)
        {
            if (!data.IsEmpty) Interlocked.Increment(ref _ignoredCommands);
            return;
        }

        var page = Geometry.PageSize;
        if (data.Length > page)
        {
            // The chip's input buffer keeps the last page's worth, at the addresses those bytes would have had.
            address += (ulong)(data.Length - page);
            data = data[^page..];
        }

        address &= _addressMask;
        var pageBase = address & ~(ulong)(page - 1);
        var duration = Geometry.Timings.ProgramTime(data.Length);
        var outcome = OutcomeFor(duration);
        Span<byte> current = stackalloc byte[page];
        _storage.Read(pageBase, current);
        Span<byte> target = stackalloc byte[page];
        current.CopyTo(target);
        var inPage = (int)(address - pageBase);
        var first = Math.Min(page - inPage, data.Length);
        NorBits.Program(target.Slice(inPage, first), data[..first]);
        NorBits.Program(target[..(data.Length - first)], data[first..]);
        var op = outcome != NorOutcome.Completed || OperationStarted is not null
            ? new NorOperation(NorOperationKind.Program, address, (ulong)data.Length, Clock.Now, duration, outcome) { Data = data.ToArray() }
            : null;
        if (outcome == NorOutcome.Interrupted) PartialProgram(current, target, Fraction(op!));
        _storage.Write(pageBase, outcome == NorOutcome.Interrupted ? current : target);
        Finish(op, outcome, duration);
    }

    /// <summary>Sector (20h), 32 KiB block (52h), 64 KiB block (D8h) or chip (C7h) erase; low address bits are ignored.</summary>
    public void Erase(NorEraseUnit unit, ulong address)
    {
        if (!Accepts() || !WriteEnableLatch)
        {
            Interlocked.Increment(ref _ignoredCommands);
            return;
        }

        var size = unit switch
        {
            NorEraseUnit.Sector => (ulong)Geometry.SectorSize,
            NorEraseUnit.Block32 => Math.Max(32UL << 10, (ulong)Geometry.SectorSize),
            NorEraseUnit.Block64 => (ulong)Geometry.BlockSize,
            _ => Geometry.SizeInBytes,
        };
        size = Math.Min(size, Geometry.SizeInBytes);
        var start = (address & _addressMask) & ~(size - 1);
        var duration = Geometry.Timings.EraseTime(unit);
        if (unit == NorEraseUnit.Chip) duration = TimeSpan.FromTicks(Math.Max(duration.Ticks, Geometry.Timings.Block64Erase.Ticks * (long)(size / (ulong)Geometry.BlockSize) / 4));
        var op = new NorOperation(NorOperationKind.Erase, start, size, Clock.Now, duration, OutcomeFor(duration));
        if (op.Outcome == NorOutcome.Interrupted) PartialErase(start, size, Fraction(op));
        else EraseRange(start, size);
        Finish(op, op.Outcome, duration);
    }

    /// <summary>Polls status until the running operation is done: virtual time moves to its end (or the power cut).</summary>
    public void WaitWhileBusy()
    {
        var until = Interlocked.Read(ref _busyUntil);
        if (PowerCutAt is { } cut && cut.Nanoseconds < until) until = cut.Nanoseconds;
        var now = Clock.Now.Nanoseconds;
        if (until > now) Clock.Advance(TimeSpan.FromTicks((until - now + 99) / 100));
    }

    public void Flush() => _storage.Flush();

    public void Dispose() => _storage.Dispose();

    private bool Accepts()
    {
        if (IsPowered && !IsBusy) return true;
        Interlocked.Increment(ref _ignoredCommands);
        return false;
    }

    private void EraseRange(ulong start, ulong size)
    {
        for (ulong done = 0; done < size;)
        {
            var n = (int)Math.Min((ulong)Ones.Length, size - done);
            _storage.Write(start + done, Ones.AsSpan(0, n));
            done += (ulong)n;
        }

        var firstSector = (long)(start / (ulong)Geometry.SectorSize);
        var sectors = (long)(size / (ulong)Geometry.SectorSize);
        for (var s = firstSector; s < firstSector + sectors; s++)
        {
            _eraseCounts[s]++;
            if (IsWornOut(s)) LeaveStuckBit(s);
        }
    }

    // A worn-out sector no longer erases fully: one bit, fixed per sector, stays programmed.
    private void LeaveStuckBit(long sector)
    {
        var hash = (ulong)sector * 0x9E3779B97F4A7C15UL;
        var offset = (ulong)sector * (ulong)Geometry.SectorSize + (hash >> 40) % (ulong)Geometry.SectorSize;
        Span<byte> b = stackalloc byte[1];
        _storage.Read(offset, b);
        b[0] &= (byte)~(1 << (int)(hash >> 61));
        _storage.Write(offset, b);
    }

    private void Finish(NorOperation? op, NorOutcome outcome, TimeSpan duration)
    {
        if (outcome == NorOutcome.Completed) WriteEnableLatch = false;
        Interlocked.Exchange(ref _busyUntil, (Clock.Now + duration).Nanoseconds);
        if (op is not null) OperationStarted?.Invoke(op);
    }

    private static byte[] CreateOnes()
    {
        var ones = new byte[64 << 10];
        ones.AsSpan().Fill(0xFF);
        return ones;
    }
}

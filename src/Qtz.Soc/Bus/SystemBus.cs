using System.Buffers;
using System.Buffers.Binary;
using Qtz.Soc.Addressing;
using Qtz.Soc.Protection;
using Qtz.Soc.Time;

namespace Qtz.Soc.Bus;

/// <summary>
/// The SoC interconnect: one physical address space of RAM and MMIO windows. Every transaction names
/// its master; the protection unit may deny it. A refused transaction returns a non-Ok
/// <see cref="BusStatus"/>, leaves the destination untouched (never data) and is recorded as a
/// <see cref="BusFault"/>.
/// </summary>
public sealed class SystemBus
{
    private const int FaultHistory = 4096;
    private readonly Lock _gate = new();
    private readonly Queue<BusFault> _faults = new();
    private BusWindow[] _windows = [];
    private long _faultCount;

    public SystemBus(VirtualClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
    }

    public VirtualClock Clock { get; }

    public ProtectionUnit Protection { get; } = new();

    /// <summary>Raised for every refused transaction.</summary>
    public event Action<BusFault>? FaultRaised;

    /// <summary>Sees every admitted transaction (null: none; costs one check per transaction).</summary>
    public IBusObserver? Observer { get; set; }

    public IReadOnlyList<BusWindow> Windows => Volatile.Read(ref _windows);

    /// <summary>All faults since power-on (the history keeps the most recent 4096).</summary>
    public long FaultCount => Interlocked.Read(ref _faultCount);

    public IReadOnlyList<BusFault> RecentFaults
    {
        get { lock (_gate) return [.. _faults]; }
    }

    /// <summary>Host memory actually used by all RAM windows.</summary>
    public ulong TouchedRamBytes => Windows.Where(w => w.IsRam).Aggregate(0UL, (sum, w) => sum + w.Memory!.TouchedBytes);

    public BusWindow AddRam(string name, PhysAddr @base, ulong size) =>
        AddWindow(new BusWindow(name, new PhysRange(@base, size), new SparseMemory(size), null));

    /// <summary>
    /// RAM whose bytes live in <paramref name="backing"/> (e.g. a real guest's RAM mapped from the file
    /// QEMU shares): the window is exactly as large as the backing, and accesses go to it in place.
    /// </summary>
    public BusWindow AddRam(string name, PhysAddr @base, IRamBacking backing)
    {
        ArgumentNullException.ThrowIfNull(backing);
        return AddWindow(new BusWindow(name, new PhysRange(@base, backing.SizeInBytes), backing, null));
    }

    public BusWindow AddMmio(string name, PhysAddr @base, ulong size, IMmioDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return AddWindow(new BusWindow(name, new PhysRange(@base, size), null, device));
    }

    /// <summary>The window decoding <paramref name="address"/>, or null.</summary>
    public BusWindow? Decode(PhysAddr address)
    {
        var windows = Volatile.Read(ref _windows);
        int lo = 0, hi = windows.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var w = windows[mid];
            if (address < w.Range.Base) hi = mid - 1;
            else if (address > w.Range.Last) lo = mid + 1;
            else return w;
        }

        return null;
    }

    public BusStatus Read(BusMaster master, PhysAddr address, Span<byte> destination, AccessKind kind = AccessKind.Read)
    {
        if (destination.IsEmpty) return BusStatus.Ok;
        var status = Admit(master, address, (ulong)destination.Length, kind, out var window);
        if (status != BusStatus.Ok) return status;
        if (window!.Memory is { } memory)
        {
            memory.Read(address - window.Range.Base, destination);
            return BusStatus.Ok;
        }

        if (!IsRegisterWidth(destination.Length, address))
            return Fault(master, address, (ulong)destination.Length, kind, BusStatus.DecodeError, window.Name);
        status = window.Device!.Read(master, address - window.Range.Base, destination.Length, out var value);
        if (status != BusStatus.Ok) return Fault(master, address, (ulong)destination.Length, kind, status, window.Name);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        bytes[..destination.Length].CopyTo(destination);
        return BusStatus.Ok;
    }

    public BusStatus Write(BusMaster master, PhysAddr address, ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty) return BusStatus.Ok;
        var status = Admit(master, address, (ulong)source.Length, AccessKind.Write, out var window);
        if (status != BusStatus.Ok) return status;
        if (window!.Memory is { } memory)
        {
            memory.Write(address - window.Range.Base, source);
            return BusStatus.Ok;
        }

        if (!IsRegisterWidth(source.Length, address))
            return Fault(master, address, (ulong)source.Length, AccessKind.Write, BusStatus.DecodeError, window.Name);
        Span<byte> bytes = stackalloc byte[8];
        bytes.Clear();
        source.CopyTo(bytes);
        status = window.Device!.Write(master, address - window.Range.Base, source.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        return status == BusStatus.Ok ? status : Fault(master, address, (ulong)source.Length, AccessKind.Write, status, window.Name);
    }

    public BusStatus ReadUInt32(BusMaster master, PhysAddr address, out uint value)
    {
        Span<byte> b = stackalloc byte[4];
        var status = Read(master, address, b);
        value = status == BusStatus.Ok ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        return status;
    }

    public BusStatus ReadUInt64(BusMaster master, PhysAddr address, out ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        var status = Read(master, address, b);
        value = status == BusStatus.Ok ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
        return status;
    }

    public BusStatus WriteUInt32(BusMaster master, PhysAddr address, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Write(master, address, b);
    }

    public BusStatus WriteUInt64(BusMaster master, PhysAddr address, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return Write(master, address, b);
    }

    /// <summary>Sets a RAM range to one byte value (scrubbing a carveout); RAM only.</summary>
    public BusStatus Fill(BusMaster master, PhysAddr address, ulong length, byte value)
    {
        if (length == 0) return BusStatus.Ok;
        var status = Admit(master, address, length, AccessKind.Write, out var window);
        if (status != BusStatus.Ok) return status;
        if (window!.Memory is null) return Fault(master, address, length, AccessKind.Write, BusStatus.DecodeError, window.Name);
        window.Memory.Fill(address - window.Range.Base, length, value);
        return BusStatus.Ok;
    }

    /// <summary>
    /// Reads a RAM range without copying it: <paramref name="visit"/> gets it page by page. The whole
    /// range is checked before the first chunk, so a denied range yields nothing.
    /// </summary>
    public BusStatus Visit<TState>(BusMaster master, PhysAddr address, ulong length, TState state, ReadOnlySpanAction<byte, TState> visit)
    {
        if (length == 0) return BusStatus.Ok;
        var status = Admit(master, address, length, AccessKind.Read, out var window);
        if (status != BusStatus.Ok) return status;
        if (window!.Memory is null) return Fault(master, address, length, AccessKind.Read, BusStatus.DecodeError, window.Name);
        window.Memory.Visit(address - window.Range.Base, length, state, visit);
        return BusStatus.Ok;
    }

    /// <summary>
    /// A bus master's scatter-gather view of RAM for one DMA transfer: the same decode and protection
    /// checks as <see cref="Read"/>/<see cref="Write"/> for the whole range, then the host buffers
    /// behind it (<see cref="IRamBacking.Gather"/>). Valid until the transfer ends; a master that only
    /// reads (<see cref="AccessKind.Read"/>) must not write through them.
    /// </summary>
    public BusStatus Gather(BusMaster master, PhysAddr address, ulong length, AccessKind kind, List<Memory<byte>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (length == 0) return BusStatus.Ok;
        var status = Admit(master, address, length, kind, out var window);
        if (status != BusStatus.Ok) return status;
        if (window!.Memory is null) return Fault(master, address, length, kind, BusStatus.DecodeError, window.Name);
        window.Memory.Gather(address - window.Range.Base, length, kind == AccessKind.Write, segments);
        return BusStatus.Ok;
    }

    private BusWindow AddWindow(BusWindow window)
    {
        lock (_gate)
        {
            var clash = _windows.FirstOrDefault(w => w.Range.Overlaps(window.Range));
            if (clash is not null)
                throw new ArgumentException($"bus window '{window.Name}' {window.Range} overlaps '{clash.Name}' {clash.Range}");
            Volatile.Write(ref _windows, _windows.Append(window).OrderBy(w => w.Range.Base).ToArray());
        }

        return window;
    }

    private BusStatus Admit(BusMaster master, PhysAddr address, ulong length, AccessKind kind, out BusWindow? window)
    {
        window = Decode(address);
        if (window is null || !window.Range.Contains(address, length))
            return Fault(master, address, length, kind, BusStatus.DecodeError, window?.Name ?? "");
        var denying = Protection.FindDenying(master, address, length, kind);
        if (denying is not null) return Fault(master, address, length, kind, BusStatus.Denied, denying.Name);
        Observer?.Admitted(master, address, length, kind, window);
        return BusStatus.Ok;
    }

    private static bool IsRegisterWidth(int width, PhysAddr address) =>
        width is 1 or 2 or 4 or 8 && address.IsAligned((ulong)width);

    private BusStatus Fault(BusMaster master, PhysAddr address, ulong length, AccessKind kind, BusStatus status, string region)
    {
        var fault = new BusFault(Clock.Now, master, address, length, kind, status, region);
        Interlocked.Increment(ref _faultCount);
        lock (_gate)
        {
            if (_faults.Count == FaultHistory) _faults.Dequeue();
            _faults.Enqueue(fault);
        }

        FaultRaised?.Invoke(fault);
        return status;
    }
}

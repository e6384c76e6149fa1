using System.Buffers;

namespace Qtz.Soc.Bus;

/// <summary>
/// The bytes behind a RAM window of the <see cref="SystemBus"/>: the board's own sparse memory
/// (<see cref="SparseMemory"/>) or memory another process owns and qtz maps in place
/// (<see cref="MappedFileRam"/>: a real guest's RAM shared with QEMU). Offsets are from the window's
/// base; every method checks the range and throws <see cref="ArgumentOutOfRangeException"/> outside it
/// (the bus has already decoded the address, so that is a wiring bug, never guest input).
/// </summary>
public interface IRamBacking
{
    ulong SizeInBytes { get; }

    /// <summary>Host memory this process backs for the window (what it allocated, not what it maps).</summary>
    ulong TouchedBytes { get; }

    void Read(ulong offset, Span<byte> destination);

    void Write(ulong offset, ReadOnlySpan<byte> source);

    /// <summary>Sets <paramref name="length"/> bytes to <paramref name="value"/>.</summary>
    void Fill(ulong offset, ulong length, byte value);

    /// <summary>Hands the bytes of [offset, offset + length) to <paramref name="visit"/> in chunks, without copying.</summary>
    void Visit<TState>(ulong offset, ulong length, TState state, ReadOnlySpanAction<byte, TState> visit);

    /// <summary>
    /// The host buffers behind [offset, offset + length) for a device's scatter-gather DMA. For a device
    /// read (<paramref name="forWrite"/> false) the caller must only read them.
    /// </summary>
    void Gather(ulong offset, ulong length, bool forWrite, List<Memory<byte>> segments);
}

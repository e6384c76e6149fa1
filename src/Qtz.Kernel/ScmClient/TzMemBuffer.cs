using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Kernel.ScmClient;

/// <summary>
/// A chunk handed out by a <see cref="TzMemPool"/>: page-granular, physically contiguous, inside one
/// bridged area. The kernel reads and writes it through the bus as its own CPU; the physical address
/// is what goes into an SCM argument. Dispose frees it (the C code's <c>__free(qcom_tzmem)</c>).
/// Contents are not cleared on allocation, as in gen_pool.
/// </summary>
public sealed class TzMemBuffer : IDisposable
{
    private readonly TzMemPool _pool;
    private int _freed;

    internal TzMemBuffer(TzMemPool pool, PhysRange range, ulong requestedSize)
    {
        _pool = pool;
        Range = range;
        RequestedSize = requestedSize;
    }

    public PhysRange Range { get; }

    /// <summary>qcom_tzmem_to_phys.</summary>
    public PhysAddr Address => Range.Base;

    /// <summary>Bytes actually reserved (PAGE_ALIGN of the request).</summary>
    public ulong Size => Range.Size;

    public ulong RequestedSize { get; }

    public bool IsFreed => Volatile.Read(ref _freed) != 0;

    public BusStatus Write(ulong offset, ReadOnlySpan<byte> source)
    {
        CheckInside(offset, (ulong)source.Length);
        return _pool.Bus.Write(_pool.Cpu, Address + offset, source);
    }

    public BusStatus Read(ulong offset, Span<byte> destination)
    {
        CheckInside(offset, (ulong)destination.Length);
        return _pool.Bus.Read(_pool.Cpu, Address + offset, destination);
    }

    /// <summary>memset(0) over the whole chunk.</summary>
    public BusStatus Clear() => _pool.Bus.Fill(_pool.Cpu, Address, Size, 0);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _freed, 1) == 0) _pool.Release(this);
        else _pool.Owner.WarnUnknownFree(Address);
    }

    private void CheckInside(ulong offset, ulong length)
    {
        if (offset > Size || length > Size - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"0x{offset:x}+0x{length:x} is outside this 0x{Size:x}-byte tzmem buffer at {Address}");
    }
}

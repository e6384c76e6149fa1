using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Kernel.ScmClient;

/// <summary>One tzmem area: a dma_alloc_coherent block bridged as a whole (handle 0 when bridges are not in use).</summary>
public sealed record TzMemArea(PhysRange Range, ulong BridgeHandle);

/// <summary>
/// struct qcom_tzmem_pool: a page-granular best-fit allocator over bridged areas, growing by its policy
/// (spec/scm-pas.md §5). Growth is refused when current + requested &gt; max (when max ≠ 0) — checked with
/// the requested size before a MULTIPLIER policy scales it, as in qcom_tzmem_try_grow_pool. Thread-safe.
/// </summary>
public sealed class TzMemPool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PageExtentAllocator _pages = new();
    private readonly List<TzMemArea> _areas = [];
    private int _liveChunks;
    private bool _disposed;

    internal TzMemPool(TzMem owner, TzMemPoolConfig config)
    {
        Owner = owner;
        Config = config;
    }

    public TzMemPoolConfig Config { get; }

    internal TzMem Owner { get; }

    internal SystemBus Bus => Owner.Bus;

    internal BusMaster Cpu => Owner.Cpu;

    public ulong CurrentSize
    {
        get { lock (_gate) return _pages.TotalBytes; }
    }

    public int LiveChunks
    {
        get { lock (_gate) return _liveChunks; }
    }

    public IReadOnlyList<TzMemArea> Areas
    {
        get { lock (_gate) return [.. _areas]; }
    }

    /// <summary>
    /// qcom_tzmem_alloc: null for size 0 or when the pool cannot grow enough (-ENOMEM); otherwise
    /// PAGE_ALIGN(size) bytes from one area.
    /// </summary>
    public TzMemBuffer? Allocate(ulong size)
    {
        var aligned = PageExtentAllocator.PageAlign(size);
        if (size == 0 || aligned == 0) return null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PhysAddr address;
            while (!_pages.TryAllocate(aligned, out address))
            {
                if (!TryGrow(aligned)) return null;
            }

            _liveChunks++;
            Owner.CountChunk(1, aligned);
            return new TzMemBuffer(this, new PhysRange(address, aligned), size);
        }
    }

    /// <summary>qcom_tzmem_pool_free: deletes every area's bridge and frees the areas. Chunks still live are a caller bug (counted as a warning).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_liveChunks != 0) Owner.Warn($"tzmem pool freed with {_liveChunks} chunk(s) still allocated");
            foreach (var area in _areas) Owner.RemoveArea(area);
            _areas.Clear();
        }
    }

    /// <summary>qcom_tzmem_pool_add_memory: one new area of PAGE_ALIGN(size) bytes, bridged as a whole.</summary>
    internal int AddMemory(ulong size)
    {
        var aligned = PageExtentAllocator.PageAlign(size);
        if (aligned == 0) return -ScmErrno.EINVAL;
        var status = Owner.AddArea(aligned, out var area);
        if (status != 0) return status;
        _areas.Add(area!);
        _pages.AddArea(area!.Range);
        return 0;
    }

    internal void Release(TzMemBuffer buffer)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _pages.Free(buffer.Address, buffer.Size);
            _liveChunks--;
            Owner.CountChunk(-1, buffer.Size);
        }
    }

    private bool TryGrow(ulong requested)
    {
        var current = _pages.TotalBytes;
        if (Config.MaxSize != 0 && current + requested > Config.MaxSize) return false;
        switch (Config.Policy)
        {
            case TzMemPolicy.Static:
                return false;
            case TzMemPolicy.Multiplier:
                requested = current * Config.Increment;
                break;
        }

        // A MULTIPLIER pool that starts empty would "grow" by zero forever; treat that as a failure.
        return requested != 0 && AddMemory(requested) == 0;
    }
}

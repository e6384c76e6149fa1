using Qtz.Soc;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.ScmClient;

/// <summary>
/// dma_alloc_coherent for the SCM device: physically contiguous, page-aligned blocks carved from one
/// range of non-secure DDR the kernel owns (a reserved-memory region or a slice of the linear map).
/// Thread-safe. tzmem areas, PAS metadata buffers (EL1 path) and the like come from here.
/// </summary>
public sealed class DmaCoherentMemory
{
    private readonly Lock _gate = new();
    private readonly PageExtentAllocator _pages = new();

    public DmaCoherentMemory(PhysRange range)
    {
        Range = range;
        _pages.AddArea(range);
    }

    public PhysRange Range { get; }

    public ulong FreeBytes
    {
        get { lock (_gate) return _pages.FreeBytes; }
    }

    /// <summary>PAGE_ALIGN(size) bytes, or false when the range has no such contiguous block (-ENOMEM).</summary>
    public bool TryAllocate(ulong size, out PhysRange block)
    {
        block = default;
        var aligned = PageExtentAllocator.PageAlign(size);
        if (aligned == 0) return false;
        lock (_gate)
        {
            if (!_pages.TryAllocate(aligned, out var address)) return false;
            block = new PhysRange(address, aligned);
            return true;
        }
    }

    public void Free(PhysRange block)
    {
        lock (_gate) _pages.Free(block.Base, block.Size);
    }
}

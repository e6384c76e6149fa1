using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Kernel.Iommu;

/// <summary>
/// The kernel's allocator of zeroed 4 KiB pages over one RAM range it is given (for page-table pages).
/// Pages are zeroed through the bus as the kernel's CPU master, so the allocator works on simulated
/// memory exactly like any other kernel code. It counts what it hands out, so a leak is visible as
/// <see cref="AllocatedPages"/> not returning to its earlier value.
/// </summary>
public sealed class PageAllocator
{
    public const ulong PageSize = 4096;
    private readonly Lock _gate = new();
    private readonly Stack<ulong> _freed = new();
    private readonly HashSet<ulong> _live = [];
    private ulong _next;

    public PageAllocator(SystemBus bus, BusMaster cpu, PhysRange range)
    {
        ArgumentNullException.ThrowIfNull(bus);
        if (!range.Base.IsAligned(PageSize) || range.Size % PageSize != 0)
            throw new ArgumentException($"page allocator range {range} must be 4 KiB aligned", nameof(range));
        Bus = bus;
        Cpu = cpu;
        Range = range;
    }

    public SystemBus Bus { get; }

    public BusMaster Cpu { get; }

    public PhysRange Range { get; }

    public int AllocatedPages
    {
        get { lock (_gate) return _live.Count; }
    }

    /// <summary>The most pages ever live at once.</summary>
    public int PeakPages { get; private set; }

    public ulong CapacityPages => Range.Size / PageSize;

    /// <summary>A zeroed page, or null when the range is exhausted (the caller's -ENOMEM) or the bus refuses to zero it.</summary>
    public PhysAddr? Allocate()
    {
        PhysAddr page;
        lock (_gate)
        {
            if (_freed.TryPop(out var recycled)) page = new PhysAddr(recycled);
            else if (_next < Range.Size)
            {
                page = Range.Base + _next;
                _next += PageSize;
            }
            else
            {
                return null;
            }

            _live.Add(page.Value);
            PeakPages = Math.Max(PeakPages, _live.Count);
        }

        if (Bus.Fill(Cpu, page, PageSize, 0) == BusStatus.Ok) return page;
        Free(page);
        return null;
    }

    public void Free(PhysAddr page)
    {
        lock (_gate)
        {
            if (!_live.Remove(page.Value))
                throw new InvalidOperationException($"page {page} was not allocated by this allocator (double free?)");
            _freed.Push(page.Value);
        }
    }
}

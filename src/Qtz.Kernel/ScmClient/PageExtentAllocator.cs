using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Kernel.ScmClient;

/// <summary>
/// A gen_pool with minimum order PAGE_SHIFT and the best-fit algorithm: memory is added in areas
/// ("chunks"), allocations are whole pages, and the smallest free extent that fits wins. As in
/// gen_pool, areas are searched newest first and the first area that can satisfy the request is used;
/// free extents never merge across areas even when the areas touch. Not thread-safe: owners lock.
/// </summary>
internal sealed class PageExtentAllocator
{
    public const ulong PageSize = SparseMemory.PageSize;

    private readonly List<Area> _areas = [];

    public ulong TotalBytes { get; private set; }

    public ulong FreeBytes { get; private set; }

    public static ulong PageAlign(ulong size) => size > ulong.MaxValue - (PageSize - 1) ? 0 : (size + PageSize - 1) & ~(PageSize - 1);

    public void AddArea(PhysRange range)
    {
        if (!range.Base.IsAligned(PageSize) || range.Size % PageSize != 0)
            throw new ArgumentException($"area {range} is not whole pages");
        _areas.Insert(0, new Area(range));
        TotalBytes += range.Size;
        FreeBytes += range.Size;
    }

    /// <summary>Best fit for <paramref name="size"/> bytes (a whole number of pages).</summary>
    public bool TryAllocate(ulong size, out PhysAddr address)
    {
        address = default;
        if (size == 0 || size % PageSize != 0) return false;
        foreach (var area in _areas)
        {
            var best = -1;
            for (var i = 0; i < area.Free.Count; i++)
            {
                if (area.Free[i].Size >= size && (best < 0 || area.Free[i].Size < area.Free[best].Size)) best = i;
            }

            if (best < 0) continue;
            var extent = area.Free[best];
            address = extent.Start;
            if (extent.Size == size) area.Free.RemoveAt(best);
            else area.Free[best] = new Extent(extent.Start + size, extent.Size - size);
            FreeBytes -= size;
            return true;
        }

        return false;
    }

    /// <summary>Returns [address, +size) to its area, merging with free neighbours in the same area.</summary>
    public void Free(PhysAddr address, ulong size)
    {
        var area = _areas.Find(a => a.Range.Contains(address, size))
            ?? throw new ArgumentException($"{address}+0x{size:x} was not allocated from this pool");
        var free = area.Free;
        var index = free.FindIndex(e => e.Start > address);
        if (index < 0) index = free.Count;
        var start = address;
        var length = size;
        if (index > 0 && free[index - 1].Start + free[index - 1].Size == address)
        {
            index--;
            start = free[index].Start;
            length += free[index].Size;
            free.RemoveAt(index);
        }

        if (index < free.Count && address + size == free[index].Start)
        {
            length += free[index].Size;
            free.RemoveAt(index);
        }

        free.Insert(index, new Extent(start, length));
        FreeBytes += size;
    }

    private readonly record struct Extent(PhysAddr Start, ulong Size);

    private sealed class Area(PhysRange range)
    {
        public PhysRange Range { get; } = range;

        public List<Extent> Free { get; } = [new Extent(range.Base, range.Size)];
    }
}

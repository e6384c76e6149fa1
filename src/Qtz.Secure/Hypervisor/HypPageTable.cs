using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.LpaeBits;

namespace Qtz.Secure.Hypervisor;

/// <summary>
/// QHEE's own page-table pages: a fixed pool of 4 KiB pages in its RAM, handed out zeroed and scrubbed
/// on release. Every byte goes through the bus as the hypervisor master.
/// </summary>
internal sealed class HypPagePool(SystemBus bus, PhysRange ram)
{
    private const ulong PageSize = 4096;
    private readonly bool[] _used = new bool[ram.Size / PageSize];

    public int InUse => _used.Count(u => u);

    public PhysAddr? Allocate()
    {
        var i = Array.IndexOf(_used, false);
        if (i < 0) return null;
        _used[i] = true;
        var page = ram.Base + (ulong)i * PageSize;
        bus.Fill(BusMaster.Hyp, page, PageSize, 0);
        return page;
    }

    public void Free(PhysAddr page)
    {
        bus.Fill(BusMaster.Hyp, page, PageSize, 0);
        _used[(page - ram.Base) / PageSize] = false;
    }
}

/// <summary>
/// A stage-1 LPAE (4 KiB granule) table tree QHEE builds for one DSP stream: identity or fixed
/// translations of whole ranges, 2 MiB blocks where both sides are aligned, 4 KiB pages elsewhere.
/// Descriptors carry the unprivileged permissions a DSP stream uses (AP[1], AP[2] for read-only, UXN
/// for no-execute, PXN always). It shares only the descriptor format (<see cref="LpaeBits"/>) with Linux.
/// </summary>
internal sealed class HypPageTable
{
    private const ulong PageSize = 4096;
    private const ulong BlockSize = 2UL << 20;
    private const ulong AttrNormal = 1UL << AttrIndexShift; // MAIR index 1: normal write-back
    private const ulong InnerShareable = 3UL << ShareabilityShift;
    private readonly SystemBus _bus;
    private readonly HypPagePool _pool;
    private readonly int _inputBits;
    private readonly int _startLevel;
    private readonly List<PhysAddr> _pages = [];

    private HypPageTable(SystemBus bus, HypPagePool pool, int inputBits, PhysAddr root)
    {
        _bus = bus;
        _pool = pool;
        _inputBits = inputBits;
        _startLevel = 4 - ((inputBits - 12 + 8) / 9);
        Root = root;
        _pages.Add(root);
    }

    public PhysAddr Root { get; }

    public int Pages => _pages.Count;

    public static HypPageTable? Create(SystemBus bus, HypPagePool pool, int inputBits) =>
        pool.Allocate() is { } root ? new HypPageTable(bus, pool, inputBits, root) : null;

    /// <summary>Maps [<paramref name="iova"/>, +<paramref name="length"/>) to <paramref name="pa"/>; false when out of pages or range.</summary>
    public bool Map(ulong iova, ulong pa, ulong length, AccessPermissions permissions)
    {
        var end = iova + ((length + PageSize - 1) & ~(PageSize - 1));
        if (iova % PageSize != 0 || pa % PageSize != 0 || end < iova || end > 1UL << _inputBits) return false;
        var leafBits = AccessFlag | InnerShareable | AttrNormal | ApUnprivileged | Pxn
            | ((permissions & AccessPermissions.Write) == 0 ? ApReadOnly : 0)
            | ((permissions & AccessPermissions.Execute) == 0 ? Uxn : 0);
        while (iova < end)
        {
            var block = iova % BlockSize == 0 && pa % BlockSize == 0 && end - iova >= BlockSize;
            if (!WriteLeaf(iova, pa, block ? 2 : 3, leafBits)) return false;
            var step = block ? BlockSize : PageSize;
            iova += step;
            pa += step;
        }

        return true;
    }

    /// <summary>Scrubs and returns every page of the tree.</summary>
    public void Free()
    {
        foreach (var page in _pages) _pool.Free(page);
        _pages.Clear();
    }

    private bool WriteLeaf(ulong iova, ulong pa, int leafLevel, ulong bits)
    {
        var table = Root;
        for (var level = _startLevel; level < leafLevel; level++)
        {
            var slot = Slot(table, iova, level);
            _bus.ReadUInt64(BusMaster.Hyp, slot, out var descriptor);
            if ((descriptor & TypeMask) != TypeTableOrPage)
            {
                if (_pool.Allocate() is not { } next) return false;
                _pages.Add(next);
                descriptor = next.Value | TypeTableOrPage;
                _bus.WriteUInt64(BusMaster.Hyp, slot, descriptor);
            }

            table = new PhysAddr(descriptor & OutputAddressMask);
        }

        var type = leafLevel == 3 ? TypeTableOrPage : TypeBlock;
        return _bus.WriteUInt64(BusMaster.Hyp, Slot(table, iova, leafLevel), (pa & OutputAddressMask) | bits | type) == BusStatus.Ok;
    }

    private PhysAddr Slot(PhysAddr table, ulong iova, int level)
    {
        var shift = LeafShift(level);
        var bits = level == _startLevel ? _inputBits - shift : 9;
        return table + ((iova >> shift) & ((1UL << bits) - 1)) * 8;
    }
}

using System.Runtime.InteropServices;
using Qtz.Soc;
using Qtz.DeviceTree.Properties;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Kernel.Iommu;

/// <summary>
/// io-pgtable for ARM_64_LPAE_S1 with a 4 KiB granule (spec/iommu.md §A1): map_pages, unmap_pages and
/// iova_to_phys over real descriptors in simulated RAM. Table pages come from a
/// <see cref="PageAllocator"/>; every descriptor is read and written through the bus as the kernel's
/// CPU master (descriptors are little-endian, as is every host .NET runs on here). It does not choose page sizes: the IOMMU core (<see cref="IommuDomain"/>) does.
/// Deviation from Linux, on purpose: a block that would replace a table which still holds live leaves
/// is refused with -EEXIST (Linux silently frees the subtree); an empty leftover table is replaced.
/// </summary>
public sealed class ArmLpaeS1PageTable
{
    private const int EntriesPerTable = 512;
    private readonly PageAllocator _pages;
    private readonly IIoTlbOps _tlb;
    private readonly int _startLevel;
    private long _descriptorWrites;
    private int _tablePages;

    public ArmLpaeS1PageTable(IoPgTableConfig config, PageAllocator pages, IIoTlbOps tlb)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(tlb);
        Config = config;
        _pages = pages;
        _tlb = tlb;
        _startLevel = config.StartLevel;
        Root = AllocateTable() ?? throw new KernelException(Errno.ENOMEM, $"no page left in {pages.Range} for a page-table root");
    }

    public IoPgTableConfig Config { get; }

    /// <summary>The top-level table (what TTBR0 points at).</summary>
    public PhysAddr Root { get; }

    /// <summary>Descriptors written since creation (leaves, tables and clears), for the write-count benchmark.</summary>
    public long DescriptorWrites => Interlocked.Read(ref _descriptorWrites);

    /// <summary>Table pages this page table currently owns (root included).</summary>
    public int TablePages => Volatile.Read(ref _tablePages);

    private SystemBus Bus => _pages.Bus;

    private BusMaster Cpu => _pages.Cpu;

    /// <summary>
    /// map_pages: maps up to <paramref name="pgcount"/> pages of <paramref name="pgsize"/> at one level,
    /// stopping at the end of the table; <paramref name="mapped"/> says how far it got.
    /// </summary>
    public Errno MapPages(ulong iova, ulong paddr, ulong pgsize, ulong pgcount, IommuProt prot, out ulong mapped)
    {
        mapped = 0;
        if (!IsSupportedPageSize(pgsize) || pgcount == 0) return Errno.EINVAL;
        if (iova >> Config.InputAddressBits != 0 || paddr >> Config.OutputAddressBits != 0) return Errno.ERANGE;
        if ((prot & IommuProt.ReadWrite) == 0) return Errno.EINVAL;
        if (((iova | paddr) & (pgsize - 1)) != 0) return Errno.EINVAL;
        var level = LevelFor(pgsize);
        var count = Math.Min(pgcount, (ulong)EntriesPerTable);
        if (((paddr + pgsize * count - 1) >> Config.OutputAddressBits) != 0) return Errno.ERANGE;
        return MapAt(iova, paddr, level, count, LpaeDescriptor.Attributes(prot), _startLevel, Root, out mapped);
    }

    /// <summary>
    /// unmap_pages: clears up to <paramref name="pgcount"/> entries of <paramref name="pgsize"/>, stopping
    /// at the first hole; returns the bytes cleared. A leaf larger than <paramref name="pgsize"/> is never
    /// split: that returns 0 (the 6.13+ behaviour).
    /// </summary>
    public ulong UnmapPages(ulong iova, ulong pgsize, ulong pgcount)
    {
        if (!IsSupportedPageSize(pgsize) || pgcount == 0 || iova >> Config.InputAddressBits != 0 || (iova & (pgsize - 1)) != 0) return 0;
        var target = LevelFor(pgsize);
        var table = Root;
        for (var level = _startLevel; ; level++)
        {
            var index = Index(iova, level);
            if (level == target) return ClearRun(iova, table, index, level, Math.Min(pgcount, (ulong)(Entries(level) - index)));
            var pte = ReadPte(table, index);
            if (pte == 0 || !LpaeDescriptor.IsTable(pte, level)) return 0; // a hole, or a larger leaf we refuse to split
            table = new PhysAddr(LpaeDescriptor.OutputAddress(pte));
        }
    }

    /// <summary>iova_to_phys: the physical address, or 0 when nothing is mapped there.</summary>
    public ulong IovaToPhys(ulong iova)
    {
        if (iova >> Config.InputAddressBits != 0) return 0;
        var table = Root;
        for (var level = _startLevel; level <= 3; level++)
        {
            var pte = ReadPte(table, Index(iova, level));
            if (pte == 0) return 0;
            if (!LpaeDescriptor.IsTable(pte, level))
                return LpaeDescriptor.OutputAddress(pte) | (iova & ((1UL << LpaeDescriptor.LeafShift(level)) - 1));
            table = new PhysAddr(LpaeDescriptor.OutputAddress(pte));
        }

        return 0;
    }

    /// <summary>Frees every table page, root included (free_io_pgtable_ops). The table is unusable afterwards.</summary>
    public void Free() => FreeTable(Root, _startLevel);

    private Errno MapAt(ulong iova, ulong paddr, int target, ulong count, ulong attributes, int level, PhysAddr table, out ulong mapped)
    {
        mapped = 0;
        while (true)
        {
            var index = Index(iova, level);
            if (level == target)
            {
                var n = (int)Math.Min(count, (ulong)(Entries(level) - index));
                var status = PrepareLeafSlots(iova, table, index, level, n);
                if (status != Errno.None) return status;
                var size = 1UL << LpaeDescriptor.LeafShift(level);
                Span<ulong> ptes = n <= 64 ? stackalloc ulong[n] : new ulong[n];
                for (var i = 0; i < n; i++) ptes[i] = LpaeDescriptor.Leaf(paddr + (ulong)i * size, level, attributes);
                WritePtes(table, index, ptes);
                mapped = (ulong)n * size;
                return Errno.None;
            }

            var pte = ReadPte(table, index);
            if (pte == 0)
            {
                if (AllocateTable() is not { } fresh) return Errno.ENOMEM;
                WritePtes(table, index, [LpaeDescriptor.Table(fresh.Value, Config.CoherentWalk)]);
                table = fresh;
            }
            else if (LpaeDescriptor.IsTable(pte, level))
            {
                table = new PhysAddr(LpaeDescriptor.OutputAddress(pte));
            }
            else
            {
                return Errno.EEXIST; // a larger leaf already covers this range
            }

            level++;
        }
    }

    /// <summary>Every slot must be empty or hold an empty leftover table, which is freed (walk flushed) first.</summary>
    private Errno PrepareLeafSlots(ulong iova, PhysAddr table, int index, int level, int n)
    {
        Span<ulong> current = n <= 64 ? stackalloc ulong[n] : new ulong[n];
        ReadPtes(table, index, current);
        foreach (var pte in current)
        {
            if (pte == 0) continue;
            if (!LpaeDescriptor.IsTable(pte, level) || HasLiveLeaf(new PhysAddr(LpaeDescriptor.OutputAddress(pte)), level + 1))
                return Errno.EEXIST;
        }

        var size = 1UL << LpaeDescriptor.LeafShift(level);
        for (var i = 0; i < n; i++)
        {
            if (current[i] == 0) continue;
            FreeTable(new PhysAddr(LpaeDescriptor.OutputAddress(current[i])), level + 1);
            _tlb.FlushWalk(iova + (ulong)i * size, size, IoPgTableConfig.Size4K);
        }

        return Errno.None;
    }

    private ulong ClearRun(ulong iova, PhysAddr table, int index, int level, ulong max)
    {
        var n = (int)max;
        Span<ulong> current = n <= 64 ? stackalloc ulong[n] : new ulong[n];
        ReadPtes(table, index, current);
        var size = 1UL << LpaeDescriptor.LeafShift(level);
        var cleared = 0;
        while (cleared < n && current[cleared] != 0)
        {
            if (LpaeDescriptor.IsTable(current[cleared], level))
            {
                WritePtes(table, index + cleared, [0UL]);
                _tlb.FlushWalk(iova + (ulong)cleared * size, size, IoPgTableConfig.Size4K);
                FreeTable(new PhysAddr(LpaeDescriptor.OutputAddress(current[cleared])), level + 1);
                current[cleared] = 0;
            }

            cleared++;
        }

        current[..cleared].Clear();
        WritePtes(table, index, current[..cleared]);
        for (var j = 0; j < cleared; j++) _tlb.AddPage(iova + (ulong)j * size, size);
        return (ulong)cleared * size;
    }

    private bool HasLiveLeaf(PhysAddr table, int level)
    {
        Span<ulong> ptes = stackalloc ulong[EntriesPerTable];
        ReadPtes(table, 0, ptes);
        foreach (var pte in ptes)
        {
            if (pte == 0) continue;
            if (!LpaeDescriptor.IsTable(pte, level) || HasLiveLeaf(new PhysAddr(LpaeDescriptor.OutputAddress(pte)), level + 1)) return true;
        }

        return false;
    }

    private void FreeTable(PhysAddr table, int level)
    {
        if (level < 3)
        {
            Span<ulong> ptes = stackalloc ulong[EntriesPerTable];
            ReadPtes(table, 0, ptes[..Entries(level)]);
            foreach (var pte in ptes[..Entries(level)])
            {
                if (LpaeDescriptor.IsTable(pte, level)) FreeTable(new PhysAddr(LpaeDescriptor.OutputAddress(pte)), level + 1);
            }
        }

        _pages.Free(table);
        Interlocked.Decrement(ref _tablePages);
    }

    private PhysAddr? AllocateTable()
    {
        var page = _pages.Allocate();
        if (page is not null) Interlocked.Increment(ref _tablePages);
        return page;
    }

    private bool IsSupportedPageSize(ulong pgsize) => pgsize != 0 && (pgsize & (pgsize - 1)) == 0 && (Config.PageSizeBitmap & pgsize) != 0;

    private static int LevelFor(ulong pgsize) => 3 - (System.Numerics.BitOperations.Log2(pgsize) - 12) / 9;

    /// <summary>Entries in a table at <paramref name="level"/>: the top table may be smaller than a page.</summary>
    private int Entries(int level) =>
        level == _startLevel ? 1 << (Config.InputAddressBits - LpaeDescriptor.LeafShift(level)) : EntriesPerTable;

    private int Index(ulong iova, int level) => (int)(iova >> LpaeDescriptor.LeafShift(level) & (ulong)(Entries(level) - 1));

    private ulong ReadPte(PhysAddr table, int index)
    {
        Span<ulong> one = stackalloc ulong[1];
        ReadPtes(table, index, one);
        return one[0];
    }

    private void ReadPtes(PhysAddr table, int index, Span<ulong> destination)
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        var status = Bus.Read(Cpu, table + (ulong)index * 8, bytes);
        if (status != BusStatus.Ok)
            throw new InvalidOperationException($"page-table page {table} is not readable by {Cpu}: {status}");
    }

    private void WritePtes(PhysAddr table, int index, ReadOnlySpan<ulong> ptes)
    {
        if (ptes.IsEmpty) return;
        var status = Bus.Write(Cpu, table + (ulong)index * 8, MemoryMarshal.AsBytes(ptes));
        if (status != BusStatus.Ok)
            throw new InvalidOperationException($"page-table page {table} is not writable by {Cpu}: {status}");
        Interlocked.Add(ref _descriptorWrites, ptes.Length);
    }
}

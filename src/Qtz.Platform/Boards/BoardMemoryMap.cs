using Qtz.DeviceTree;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Properties;
using Qtz.Soc.Addressing;

namespace Qtz.Platform.Boards;

/// <summary>
/// RAM as the board models it: DDR banks from <c>/memory</c> (sparse: only touched pages cost), the
/// <c>/reserved-memory</c> regions, and the ranges the board carves for itself out of unreserved DDR —
/// the kernel's coherent DMA (tzmem, metadata), the kernel's and the hypervisor's page-table pools.
/// </summary>
public sealed record BoardMemoryMap(
    IReadOnlyList<PhysRange> Ddr,
    IReadOnlyList<(string Name, PhysRange Range)> Reserved,
    PhysRange KernelDma,
    PhysRange KernelPageTables,
    PhysRange HypervisorPageTables,
    IReadOnlyList<string> Notes)
{
    /// <summary>Used when the tree has no <c>/memory</c> node at all (a base is then unknown too).</summary>
    public static readonly PhysRange DefaultDdr = new(new PhysAddr(0x8000_0000), 0x8000_0000);

    /// <summary>The smallest DDR the board models for a <c>/memory</c> without a size (sparse: only touched pages cost).</summary>
    public const ulong MinimumDdrSize = 2UL << 30;

    public const ulong KernelDmaSize = 16 << 20;
    public const ulong PageTableSize = 8 << 20;

    public static BoardMemoryMap From(DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var notes = new List<string>();
        var banks = tree.GetMemory();
        var ddr = banks.Where(r => r.Size != 0).Select(r => new PhysRange(new PhysAddr(r.Address), r.Size)).ToList();
        var reserved = tree.GetReservedMemory()
            .SelectMany(r => r.Regions.Where(g => g.Size != 0).Select(g => (r.Name, new PhysRange(new PhysAddr(g.Address), g.Size))))
            .ToList();
        if (ddr.Count == 0)
        {
            // Bootloaders fill /memory's size in (Linux's DTBs ship 0); its base is the tree's own. The bank
            // reaches past every reserved region above the base. Reserved regions below the base are RAM as
            // well: the bank starts at them (trees that carve from an earlier bank the bootloader adds), unless
            // device registers lie in between (sc7280's wlan-ce page sits below the SoC's MMIO): such a region
            // becomes a bank of its own, page-rounded, and no RAM is laid over the registers.
            var known = banks.Count > 0;
            var ddrBase = known ? banks[0].Address : DefaultDdr.Base.Value;
            var end = reserved.Select(r => End(r.Item2)).Where(e => e > ddrBase).DefaultIfEmpty(ddrBase).Max();
            var mmio = MmioStarts(tree);
            var low = ddrBase;
            var apart = new List<PhysRange>();
            foreach (var region in reserved.Select(r => r.Item2).Where(r => r.Base.Value < ddrBase).OrderByDescending(r => r.Base.Value))
            {
                var start = region.Base.Value & ~((1UL << 20) - 1);
                if (apart.Count == 0 && !mmio.Any(m => m >= start && m < low)) low = Math.Min(low, start);
                else if (region.Base.Value < low) apart.Add(region);
            }

            var size = Math.Max(MinimumDdrSize, AlignUp(end, 1UL << 30) - low);
            ddr.Add(new PhysRange(new PhysAddr(low), size));
            var below = PageBanks(apart, low);
            ddr.AddRange(below);
            notes.Add(!known
                ? $"the tree has no /memory; modelling DDR as {ddr[0]} (sparse)"
                : low == ddrBase
                    ? $"/memory gives base 0x{ddrBase:x} but no size (the bootloader fills it in); modelling DDR as {ddr[0]} (sparse)"
                    : $"/memory gives base 0x{ddrBase:x} but no size, and /reserved-memory has regions from 0x{low:x}; modelling DDR as {ddr[0]} (sparse)");
            if (below.Count > 0)
                notes.Add($"/reserved-memory regions below the SoC's registers are RAM banks of their own: {string.Join(", ", below)}");
        }

        var taken = reserved.Select(r => r.Item2).ToList();
        var dynamic = BoardDynamicMemory.Allocate(tree, ddr, taken);
        foreach (var (path, range) in dynamic)
        {
            reserved.Add((path[(path.LastIndexOf('/') + 1)..], range));
            notes.Add($"{path}: dynamic reserved-memory allocated at {range} (top-down in its alloc-ranges, as Linux does at boot)");
        }

        var dma = Carve(ddr, taken, KernelDmaSize, "kernel DMA");
        var kernelTables = Carve(ddr, taken, PageTableSize, "kernel page tables");
        var hypTables = Carve(ddr, taken, PageTableSize, "hypervisor page tables");
        return new BoardMemoryMap(ddr, reserved, dma, kernelTables, hypTables, notes) { Dynamic = dynamic };
    }

    /// <summary>Dynamic /reserved-memory regions (no reg) and where the board placed them, by node path.</summary>
    public IReadOnlyDictionary<string, PhysRange> Dynamic { get; init; } = new Dictionary<string, PhysRange>();

    /// <summary>A memory-region target's range: its reg, or where a dynamic region was allocated; null when neither.</summary>
    public PhysRange? RegionOf(DtNode region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (Dynamic.TryGetValue(region.Path, out var dynamic)) return dynamic;
        try
        {
            var reg = region.GetReg();
            return reg.Count > 0 && PhysRange.TryCreate(reg[0].Address, reg[0].Size, out var range) ? range : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public bool InDdr(PhysRange range) => Ddr.Any(d => d.Base.Value <= range.Base.Value && End(range) <= End(d));

    /// <summary>Highest free, 16 MiB-aligned range of DDR (top-down, like memblock), recorded as taken.</summary>
    private static PhysRange Carve(List<PhysRange> ddr, List<PhysRange> taken, ulong size, string what)
    {
        const ulong align = 16 << 20;
        foreach (var bank in ddr.OrderByDescending(b => b.Base.Value))
        {
            for (var at = (End(bank) - size) & ~(align - 1); at >= bank.Base.Value && at + size <= End(bank); at -= align)
            {
                var candidate = new PhysRange(new PhysAddr(at), size);
                if (!taken.Any(t => t.Base.Value < End(candidate) && candidate.Base.Value < End(t)))
                {
                    taken.Add(candidate);
                    return candidate;
                }

                if (at < align) break;
            }
        }

        BoardException.Throw($"no free {size >> 20} MiB of DDR left for the {what} outside /reserved-memory");
        return default;
    }

    /// <summary>Where the SoC's device registers start: the <c>reg</c> of every node on a root-level <c>soc</c> bus.</summary>
    private static List<ulong> MmioStarts(DtTree tree)
    {
        var starts = new List<ulong>();
        foreach (var bus in tree.Root.Children.Where(c => c.BaseName == "soc"))
        {
            foreach (var device in bus.Children)
            {
                try
                {
                    if (device.GetReg() is { Count: > 0 } reg) starts.Add(reg[0].Address);
                }
                catch (FormatException)
                {
                    // A malformed reg names no registers; the binding checks report it.
                }
            }
        }

        return starts;
    }

    /// <summary>Regions as page-rounded banks below <paramref name="limit"/>, merged where they touch.</summary>
    private static List<PhysRange> PageBanks(IEnumerable<PhysRange> regions, ulong limit)
    {
        const ulong page = Paging.PageSize;
        var banks = new List<PhysRange>();
        foreach (var r in regions.OrderBy(r => r.Base.Value))
        {
            var start = r.Base.Value & ~(page - 1);
            var stop = Math.Min(AlignUp(End(r), page), limit);
            if (banks.Count > 0 && start <= End(banks[^1]))
            {
                var last = banks[^1];
                banks[^1] = new PhysRange(last.Base, Math.Max(End(last), stop) - last.Base.Value);
            }
            else
            {
                banks.Add(new PhysRange(new PhysAddr(start), stop - start));
            }
        }

        return banks;
    }

    private static ulong End(PhysRange r) => r.Base.Value + r.Size;

    private static ulong AlignUp(ulong value, ulong align) => (value + align - 1) & ~(align - 1);
}

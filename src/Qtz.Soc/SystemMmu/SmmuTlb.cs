using Qtz.Soc.Bus;

namespace Qtz.Soc.SystemMmu;

/// <summary>
/// One cached leaf translation: the page or block the walker found, tagged by ASID (stage-1 nG
/// entries) and with its permissions pre-computed as a bit mask indexed by (privileged, access kind).
/// Immutable, so the translation fast path reads it without a lock.
/// </summary>
internal sealed class TlbEntry(ushort asid, bool global, int pageShift, ulong inputPage, ulong outputBase, int allowed)
{
    public ushort Asid { get; } = asid;

    public bool Global { get; } = global;

    public int PageShift { get; } = pageShift;

    /// <summary>Input address >> PageShift.</summary>
    public ulong InputPage { get; } = inputPage;

    public ulong OutputBase { get; } = outputBase;

    public ulong OffsetMask => (1UL << PageShift) - 1;

    public bool Matches(ushort asid, ulong va) => va >> PageShift == InputPage && (asid == Asid || Global);

    public bool Allows(AccessKind kind, bool privileged) => (allowed >> PermissionBit(kind, privileged) & 1) != 0;

    public static int PermissionBit(AccessKind kind, bool privileged) => (privileged ? 3 : 0) + (int)kind;
}

/// <summary>
/// A context bank's TLB, keyed by (ASID, page): direct-mapped arrays per leaf size (4 KiB pages, 2 MiB
/// and 1 GiB blocks), so a TLBIVA at a block's address finds the block entry the way hardware does.
/// Entries are filled under the SMMU's lock and read without one.
/// </summary>
internal sealed class SmmuTlb
{
    private static readonly TlbEntry?[] NoPages = new TlbEntry?[1];
    private readonly int _pageEntries;
    private readonly TlbEntry?[] _blocks2M = new TlbEntry?[256];
    private readonly TlbEntry?[] _blocks1G = new TlbEntry?[16];
    private TlbEntry?[] _pages = NoPages; // the page array (32 KiB by default) only once the bank caches a page: most banks never do
    private int _blockEntries;

    public SmmuTlb(int pageEntries) => _pageEntries = pageEntries;

    public TlbEntry? Lookup(ushort asid, ulong va)
    {
        var pages = Volatile.Read(ref _pages);
        var e = pages[Slot(pages, asid, va >> 12)];
        if (e is not null && e.Matches(asid, va)) return e;
        if (Volatile.Read(ref _blockEntries) == 0) return null;
        e = _blocks2M[Slot(_blocks2M, asid, va >> 21)];
        if (e is not null && e.Matches(asid, va)) return e;
        e = _blocks1G[Slot(_blocks1G, asid, va >> 30)];
        return e is not null && e.Matches(asid, va) ? e : null;
    }

    public void Fill(TlbEntry entry)
    {
        if (entry.PageShift == 12 && ReferenceEquals(_pages, NoPages)) Volatile.Write(ref _pages, new TlbEntry?[_pageEntries]);
        var table = TableFor(entry.PageShift);
        if (table != _pages) Interlocked.Increment(ref _blockEntries);
        Volatile.Write(ref table[Slot(table, entry.Asid, entry.InputPage)], entry);
    }

    /// <summary>TLBIVA: drops every leaf of this ASID (or global) that covers <paramref name="va"/>.</summary>
    public void InvalidateVa(ushort asid, ulong va)
    {
        Drop(_pages, asid, va, 12);
        Drop(_blocks2M, asid, va, 21);
        Drop(_blocks1G, asid, va, 30);
    }

    /// <summary>TLBIASID: drops every non-global entry of the ASID.</summary>
    public void InvalidateAsid(ushort asid)
    {
        foreach (var table in (TlbEntry?[][])[_pages, _blocks2M, _blocks1G])
        {
            for (var i = 0; i < table.Length; i++)
            {
                if (table[i] is { Global: false } e && e.Asid == asid) table[i] = null;
            }
        }
    }

    public void InvalidateAll()
    {
        Array.Clear(_pages);
        Array.Clear(_blocks2M);
        Array.Clear(_blocks1G);
        Volatile.Write(ref _blockEntries, 0);
    }

    public int Count => _pages.Count(e => e is not null) + _blocks2M.Count(e => e is not null) + _blocks1G.Count(e => e is not null);

    private TlbEntry?[] TableFor(int pageShift) => pageShift switch
    {
        12 => _pages,
        21 => _blocks2M,
        _ => _blocks1G,
    };

    private static int Slot(TlbEntry?[] table, ushort asid, ulong page) => (int)((page ^ ((ulong)asid << 5)) & (ulong)(table.Length - 1));

    private static void Drop(TlbEntry?[] table, ushort asid, ulong va, int shift)
    {
        ref var slot = ref table[Slot(table, asid, va >> shift)];
        if (slot is not null && slot.Matches(asid, va)) slot = null;
    }
}

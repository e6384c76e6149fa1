using System.Globalization;
using Qtz.Kernel;
using Qtz.Platform.Storage;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Scm;
using Qtz.Soc.Bus;

namespace Qtz.Platform.Boards;

/// <summary>One counted resource: a short name a reader recognises ("tz shm bridges") and its value.</summary>
public readonly record struct ResourceCount(string Name, ulong Value);

/// <summary>
/// A snapshot of everything a remoteproc lifecycle or an MTD operation can leak: SHM bridges (TZ's
/// table), tzmem chunks, bytes and areas of every kernel pool, coherent DMA in use, PAS metadata
/// buffers on both sides, carveout locks, IOMMU mappings per remoteproc, page-table pages (Linux's
/// io-pgtable and QHEE's), SMMU context banks and stream entries, SCM calls in flight and INTERRUPTED
/// sessions TZ still holds, unread recovery coredumps, and RAM the bus has backed. Two snapshots are equal when every count is;
/// <see cref="Diff"/> says what moved ("tz shm bridges 7 → 8").
/// </summary>
public sealed class BoardResources : IEquatable<BoardResources>
{
    /// <summary>Host-memory footprint, not a simulated resource: compared only when asked (pages stay backed once written).</summary>
    public const string TouchedRam = "touched ram bytes";

    private BoardResources(IReadOnlyList<ResourceCount> counts) => Counts = counts;

    public IReadOnlyList<ResourceCount> Counts { get; }

    public ulong this[string name] => Counts.FirstOrDefault(c => c.Name == name) is { Name: not null } c
        ? c.Value
        : throw new KeyNotFoundException($"no resource '{name}' in this snapshot (have: {string.Join(", ", Counts.Select(x => x.Name))})");

    public static BoardResources Of(Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var counts = new List<ResourceCount>();
        AddScmSide(counts, board.World, board.Dispatcher, board.Scm, board.Bus);
        var pas = board.Scm.PasCounters;
        Add(counts, "tz locked metadata", board.Pas.LockedMetadataCount);
        Add(counts, "tz locked carveouts", board.Pas.LockedCarveoutCount);
        Add(counts, "linux metadata buffers", pas.LiveMetadataBuffers);
        Add(counts, "linux carveout bridges", pas.LiveCarveoutBridges);
        foreach (var r in board.Remoteprocs) Add(counts, $"iommu mappings {r.Name}", board.SmmuMappingsOf(r));
        Add(counts, "unread devcoredumps", board.Remoteprocs.Count(r => board.Driver(r.Name)?.Rproc.PendingCoredump is not null));
        Add(counts, "io-pgtable pages", board.KernelPages.AllocatedPages);
        if (board.ArmSmmu is { } smmu)
        {
            Add(counts, "smmu context banks", smmu.ContextBanksInUse);
            Add(counts, "smmu stream entries", smmu.StreamMatchEntriesInUse);
        }

        if (board.Qhee is { } qhee)
        {
            Add(counts, "qhee page-table pages", qhee.PageTablePagesInUse);
            Add(counts, "qhee streams", qhee.ActiveStreams);
            Add(counts, "qhee bridges", qhee.LiveBridges);
        }

        if (board.Flash is { } flash) AddFlash(counts, flash);
        return new BoardResources(counts);
    }

    public static BoardResources Of(StorageBoard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var counts = new List<ResourceCount>();
        AddScmSide(counts, board.World, board.Dispatcher, board.Scm, board.Bus);
        return new BoardResources(counts);
    }

    /// <summary>"name before → after" for every count that differs (names present on one side only count as 0 on the other).</summary>
    public IReadOnlyList<string> Diff(BoardResources after, bool includeTouchedRam = false)
    {
        ArgumentNullException.ThrowIfNull(after);
        var before = Counts.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
        var now = after.Counts.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
        return [.. before.Keys.Union(now.Keys)
            .Where(name => includeTouchedRam || name != TouchedRam)
            .Select(name => (name, a: before.GetValueOrDefault(name), b: now.GetValueOrDefault(name)))
            .Where(x => x.a != x.b)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.name} {x.a} → {x.b}"))];
    }

    /// <summary>Equal when no count but the touched-RAM footprint differs.</summary>
    public bool Equals(BoardResources? other) => other is not null && Diff(other).Count == 0;

    public override bool Equals(object? obj) => Equals(obj as BoardResources);

    public override int GetHashCode() => Counts.Where(c => c.Name != TouchedRam).Aggregate(0, (h, c) => HashCode.Combine(h, c.Name, c.Value));

    public override string ToString() => string.Join(", ", Counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Value}")));

    private static void AddScmSide(List<ResourceCount> counts, SecureWorld world, ScmDispatcher dispatcher, Scm scm, SystemBus bus)
    {
        Add(counts, "tz shm bridges", world.Bridges.Live.Count);
        Add(counts, "tz pending scm sessions", dispatcher.PendingSessions);
        Add(counts, "scm calls in flight", scm.InFlightCalls);
        Add(counts, "tzmem chunks", scm.TzMem.LiveChunks);
        Add(counts, "tzmem chunk bytes", scm.TzMem.LiveChunkBytes);
        Add(counts, "tzmem areas", scm.TzMem.Areas);
        Add(counts, "dma bytes in use", scm.Dma.Range.Size - scm.Dma.FreeBytes);
        Add(counts, TouchedRam, bus.TouchedRamBytes);
    }

    private static void AddFlash(List<ResourceCount> counts, TzStorage flash)
    {
        Add(counts, "mtd devices", flash.Mtd.Devices.Count);
        Add(counts, "storage bounce bytes", flash.Driver?.BounceBytes ?? 0);
    }

    private static void Add(List<ResourceCount> counts, string name, long value) => counts.Add(new ResourceCount(name, (ulong)value));

    private static void Add(List<ResourceCount> counts, string name, ulong value) => counts.Add(new ResourceCount(name, value));
}

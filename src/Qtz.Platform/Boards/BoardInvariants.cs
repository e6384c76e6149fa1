using Qtz.Kernel.Remoteproc;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Platform.Boards;

/// <summary>
/// The security invariants every boot test checks afterwards, in one place:
/// a non-secure read of a locked carveout never returns data (the bus refuses it and records a
/// fault); and nothing a remoteproc owns — metadata buffer, SHM bridge, tzmem chunk, IOMMU mapping,
/// QHEE stream — outlives its stop. Returns the violations (empty = all hold), so tests can print them.
/// </summary>
public static class BoardInvariants
{
    public static IReadOnlyList<string> Check(Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var violations = new List<string>();
        foreach (var r in board.Remoteprocs)
        {
            CheckCarveoutLock(board, r, violations);
            if (board.Driver(r.Name) is { } driver && driver.Rproc.State is RprocState.Offline)
                CheckStopped(board, r, driver, violations);
        }

        if (board.Remoteprocs.All(r => board.Driver(r.Name)?.Rproc.State is null or RprocState.Offline))
            CheckAllStopped(board, violations);
        return violations;
    }

    /// <summary>Throws listing every violation; for tests.</summary>
    public static void Assert(Board board)
    {
        var violations = Check(board);
        if (violations.Count > 0)
            throw new InvalidOperationException("board invariants violated:\n  " + string.Join("\n  ", violations));
    }

    private static void CheckCarveoutLock(Board board, BoardRemoteproc r, List<string> violations)
    {
        if (!board.Pas.IsCarveoutLocked(r.PasId)) return;
        var before = board.Bus.FaultCount;
        Span<byte> probe = stackalloc byte[16];
        probe.Fill(0xA5);
        foreach (var at in new[] { r.Carveout.Base, new PhysAddr(r.Carveout.Last.Value - 15) })
        {
            var status = board.Bus.Read(board.KernelCpu, at, probe);
            if (status == BusStatus.Ok)
                violations.Add($"{r.Name}: a non-secure read of the locked carveout at {at} returned data");
        }

        if (board.Bus.FaultCount < before + 2)
            violations.Add($"{r.Name}: non-secure reads of the locked carveout were refused without a recorded bus fault");
    }

    private static void CheckStopped(Board board, BoardRemoteproc r, PasRemoteproc driver, List<string> violations)
    {
        var c = driver.Counters;
        if (!c.IsClean)
            violations.Add($"{r.Name}: stopped but still holds {c.MetadataBuffers} metadata buffer(s), {c.IommuMappings} IOMMU mapping(s), domain {(c.DomainAllocated ? "allocated" : "freed")}, {c.LiveCarveoutBridges} carveout bridge(s)");
        if (board.SmmuMappingsOf(r) != 0)
            violations.Add($"{r.Name}: stopped but {board.SmmuMappingsOf(r)} SMMU mapping(s) remain");
        if (board.Pas.IsCarveoutLocked(r.PasId))
            violations.Add($"{r.Name}: stopped but TrustZone still locks its carveout");
        if (board.Qhee?.ContextBankOf(r.PasId) is not null && board.Qhee.MappingsOf(r.PasId).Count != 0)
            violations.Add($"{r.Name}: stopped but QHEE still translates its stream");
    }

    private static void CheckAllStopped(Board board, List<string> violations)
    {
        // TZ's own secure copy of a refused image's metadata is not counted: Linux's unwind after a
        // refused AUTH_AND_RESET sends no SHUTDOWN (spec §7.5), and that copy is secure memory, not a
        // non-secure buffer; the next INIT_IMAGE or SHUTDOWN replaces it. Linux's buffers are checked below.
        if (board.Pas.LockedCarveoutCount != 0)
            violations.Add($"every remoteproc is stopped but TrustZone still locks {board.Pas.LockedCarveoutCount} carveout(s)");
        var pas = board.Scm.PasCounters;
        if (pas.LiveMetadataBuffers != 0 || pas.LiveCarveoutBridges != 0)
            violations.Add($"every remoteproc is stopped but Linux holds {pas.LiveMetadataBuffers} metadata buffer(s) and {pas.LiveCarveoutBridges} carveout bridge(s)");
        if (board.Scm.Pool is { } pool && pool.LiveChunks != board.ScmPoolChunksAtProbe)
            violations.Add($"every remoteproc is stopped but the tzmem pool holds {pool.LiveChunks} chunk(s) (had {board.ScmPoolChunksAtProbe} after probe)");
        if (board.Qhee is { } qhee && (qhee.ActiveStreams != 0 || qhee.LiveBridges != 0))
            violations.Add($"every remoteproc is stopped but QHEE has {qhee.ActiveStreams} active stream(s) and {qhee.LiveBridges} bridge(s)");
        if (board.ArmSmmu is not null && board.Remoteprocs.Sum(board.SmmuMappingsOf) != 0)
            violations.Add("every remoteproc is stopped but Linux's IOMMU domains still map something");
    }
}

using Qtz.Platform.Boards;
using Qtz.Secure.Hypervisor;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// The parts of a booted board a non-secure call could change without writing memory or the protection
/// unit (those the <see cref="Invariants.SecureAccessMonitor"/> counts): TrustZone's PAS sessions and
/// fuses, the DSP cores, the SHM bridges, QHEE's streams and the clock. Equal states mean the next
/// input starts where a freshly booted board would.
/// </summary>
internal sealed record SmcBoardState(string Value)
{
    public static SmcBoardState Of(Board board)
    {
        var pas = board.Peripherals.Select(p => $"{p.PasId}:{board.Pas.StateOf(p.PasId)}:{board.Pas.IsCarveoutLocked(p.PasId)}:{p.Core?.State}");
        var bridges = board.World.Bridges.Live.Select(b => $"{b.Handle}@{b.Range.Base}");
        var qhee = board.Qhee is { } q
            ? $"{q.ActiveStreams}/{q.PageTablePagesInUse}/{q.LiveBridges}/" + string.Join(",", board.Peripherals.Select(p => q.MappingsOf(p.PasId).Count))
            : "-";
        return new SmcBoardState(string.Join(" | ",
            string.Join(",", pas), board.Pas.LockedMetadataCount, board.Fuses.RollbackFloor,
            board.World.Bridges.Enabled, string.Join(",", bridges), qhee, board.Clock.Now));
    }
}

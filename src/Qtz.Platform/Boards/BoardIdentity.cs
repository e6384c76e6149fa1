using Qtz.DeviceTree;
using Qtz.Platform.Socs;
using Qtz.DeviceTree.Model;

namespace Qtz.Platform.Boards;

/// <summary>
/// The hardware identity of each DSP on a board: VMID and SW_ID by PAS id (<see cref="DspKinds"/>); stream
/// ID and mask from the node's <c>iommus</c> when present, else the SoC's default (its EL2 overlay's value),
/// else a stand-in unique on the board; the SMEM/SMP2P host id from the smp2p node its
/// <c>qcom,smem-states</c> points into (<c>qcom,remote-pid</c>).
/// </summary>
public sealed class BoardIdentity
{
    private readonly HashSet<ushort> _streams = [];
    private ushort _nextStandIn = SocStreams.StandInBase;

    public DspHardware For(DtNode node, PasMatch match, string name)
    {
        var data = match.Data;
        var (sid, mask, source) = StreamOf(node, match);
        _streams.Add(sid);
        return new DspHardware(name, data.PasId, DspKinds.VmidOf(data.PasId), sid, mask, data.CrashReasonSmem, SmemHostOf(node))
        {
            SoftwareId = DspKinds.SoftwareIdOf(data.PasId),
            StreamSource = source,
        };
    }

    /// <summary>A stream id unique on the board for a core the tree gives no <c>iommus</c> (WCNSS behind no SMMU).</summary>
    public ushort StandInStream()
    {
        while (_streams.Contains(_nextStandIn)) _nextStandIn++;
        _streams.Add(_nextStandIn);
        return _nextStandIn++;
    }

    private (ushort Sid, ushort Mask, string Source) StreamOf(DtNode node, PasMatch match)
    {
        if (node.HasProperty("iommus"))
        {
            try
            {
                if (node.GetIommus() is [var first, ..] && first.Args.Count > 0)
                    return ((ushort)first.Args[0], first.Args.Count > 1 ? (ushort)first.Args[1] : (ushort)0, "iommus");
            }
            catch (FormatException)
            {
                // The driver's probe reports a bad iommus; the hardware still needs a stream.
            }
        }

        if (match.Soc.StreamOf(match.Data.Name) is { } known && !_streams.Contains(known.StreamId))
            return (known.StreamId, known.StreamMask, $"{match.Soc.Name} EL2 overlay");
        while (_streams.Contains(_nextStandIn)) _nextStandIn++;
        return (_nextStandIn++, 0, "qtz stand-in (no iommus, no overlay value)");
    }

    /// <summary>qcom,remote-pid of the smp2p node the first qcom,smem-states entry points into; null when the tree does not say.</summary>
    private static int? SmemHostOf(DtNode node)
    {
        try
        {
            if (!node.HasProperty("qcom,smem-states") || node.GetSmemStates() is not [var state, ..]) return null;
            for (var n = state.Target; n is not null; n = n.Parent)
            {
                if (n.FindProperty("qcom,remote-pid") is { Length: 4 } pid) return (int)pid.AsU32();
            }
        }
        catch (FormatException)
        {
            // A malformed smem-states: the binding check names it; the board just does not know the host.
        }

        return null;
    }
}

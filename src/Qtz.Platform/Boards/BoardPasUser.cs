using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Kernel.Peripherals;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc;

namespace Qtz.Platform.Boards;

/// <summary>
/// One PAS user other than a PAS remoteproc, as the board found it in the tree: the node (the GPU node for the
/// zap shader), what it is, the region its image goes into (null when the node gives none), the platform data
/// its driver uses, and for WCNSS the core with its SMP2P/IRQ wiring.
/// </summary>
public sealed record BoardPasUser(DtNode Node, PasUserKind Kind, string Name, uint PasId)
{
    public PhysRange? Region { get; init; }

    /// <summary>The file the driver asks for first (the generated image takes this name).</summary>
    public string FirmwareName { get; init; } = "";

    public VideoPlatform? Video { get; init; }

    public AdrenoZapInfo? Gpu { get; init; }

    /// <summary>WCNSS only: the core TrustZone releases, and its signals.</summary>
    public DspCore? Core { get; init; }

    public DspSignals? Signals { get; init; }

    public Vmid Vmid { get; init; }

    /// <summary>Whether TrustZone serves its PAS id on this board (false: another node of the board has the id, or it has no region).</summary>
    public bool InTrustZone { get; init; }
}

/// <summary>One row of the boot table's peripherals: every PAS user, remoteprocs included.</summary>
public sealed record PeripheralReport(string Name, uint PasId, string Kind, string State, string? Reason, string Firmware)
{
    /// <summary>Running, attached, or off/skipped by design (Linux carries on).</summary>
    public bool Ok { get; init; }
}

using Qtz.Soc;
using Qtz.Soc.Bus;

namespace Qtz.Platform.Socs;

/// <summary>
/// One DSP as the hardware and TrustZone see it (not Linux's view, which is <see cref="Kernel.Remoteproc.PasData"/>):
/// the VMID its carveout is locked to, its SMMU stream and mask, its crash-reason item, the SMEM/SMP2P host id
/// the DT's smp2p node gives it (null when the tree does not say), and the SW_ID TrustZone requires of its images.
/// </summary>
public sealed record DspHardware(
    string Name,
    uint PasId,
    Vmid Vmid,
    ushort StreamId,
    ushort StreamMask,
    uint CrashReasonSmem,
    int? SmemHost)
{
    public uint SoftwareId { get; init; }

    /// <summary>Where the stream came from: the node's <c>iommus</c>, an EL2 overlay's value, or qtz's stand-in.</summary>
    public string StreamSource { get; init; } = "";
}

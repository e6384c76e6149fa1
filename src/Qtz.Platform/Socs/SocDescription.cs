using Qtz.Kernel.Remoteproc;

namespace Qtz.Platform.Socs;

/// <summary>A DSP stream the SoC's EL2 overlay (or qtz, documented) gives a processor when its node has no <c>iommus</c>.</summary>
public sealed record DspStream(string Processor, ushort StreamId, ushort StreamMask);

/// <summary>
/// One SoC as data: Linux's PAS rows for its remote processors (compatible → <see cref="PasData"/>) and the
/// hardware identity TrustZone and the SMMU see where the DT does not say it (default streams per processor).
/// VMIDs and SW_IDs follow the PAS id (<see cref="DspKinds"/>); SMEM hosts come from the DT's smp2p nodes.
/// </summary>
public sealed record SocDescription(string Name, IReadOnlyList<PasData> Remoteprocs)
{
    /// <summary>Default streams by processor name ("adsp", "cdsp0", …); absent ones get a stand-in (see <see cref="SocCatalog"/>).</summary>
    public IReadOnlyList<DspStream> Streams { get; init; } = [];

    /// <summary>Compatibles the driver never matches itself, with the one the DT lists after them (spec/socs.md §1.4).</summary>
    public IReadOnlyList<(string Compatible, string ResolvesVia)> Fallbacks { get; init; } = [];

    public DspStream? StreamOf(string processor) => Streams.FirstOrDefault(s => s.Processor == processor);
}

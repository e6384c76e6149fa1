using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;

namespace Qtz.Soc.SystemMmu;

/// <summary>
/// A device's connection to the SMMU: the stream ID its transactions carry, the VMID the bus sees on
/// them after translation (a board-wired property of the master, not of the SMMU), and whether they
/// are privileged (S2CR.PRIVCFG may override that).
/// </summary>
public sealed class SmmuStreamPort(Smmu smmu, ushort streamId, Vmid vmid, bool privileged = false) : IDspMemoryPort
{
    public Smmu Smmu { get; } = smmu ?? throw new ArgumentNullException(nameof(smmu));

    public ushort StreamId { get; } = streamId;

    public Vmid Vmid { get; } = vmid;

    public bool Privileged { get; } = privileged;

    public SmmuTranslation Translate(Iova iova, AccessKind kind) => Smmu.Translate(StreamId, iova, kind, Privileged);

    public SmmuAccessResult Read(Iova iova, Span<byte> destination) => Smmu.Read(StreamId, Vmid, iova, destination, AccessKind.Read, Privileged);

    /// <summary>An instruction fetch: needs execute permission at the stream's privilege.</summary>
    public SmmuAccessResult Fetch(Iova iova, Span<byte> destination) => Smmu.Read(StreamId, Vmid, iova, destination, AccessKind.Execute, Privileged);

    /// <summary>A data read or an instruction fetch, as <paramref name="kind"/> says (the DSP core's port contract).</summary>
    public SmmuAccessResult Read(Iova iova, Span<byte> destination, AccessKind kind) => Smmu.Read(StreamId, Vmid, iova, destination, kind, Privileged);

    public SmmuAccessResult Write(Iova iova, ReadOnlySpan<byte> source) => Smmu.Write(StreamId, Vmid, iova, source, Privileged);

    public override string ToString() => $"{Smmu.Name} sid 0x{StreamId:x} ({Vmid})";
}

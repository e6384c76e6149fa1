using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Time;

namespace Qtz.Secure.Hypervisor;

/// <summary>How the board sets QHEE up: the SMMU it owns the DSP streams of, and RAM for its page tables.</summary>
public sealed record QheeOptions
{
    /// <summary>Physical base of the SMMU's register window (the SMMU the DSP streams go through).</summary>
    public required PhysAddr SmmuBase { get; init; }

    /// <summary>Hypervisor-owned RAM for stage-1 page tables; QHEE protects it from HLOS writes at install.</summary>
    public required PhysRange PageTableRam { get; init; }

    /// <summary>Input address size of QHEE's context banks (T0SZ = 64 − this); every mapped address must fit.</summary>
    public int InputAddressBits { get; init; } = 36;

    /// <summary>False on a SoC without an apps SMMU: QHEE still bridges and forwards PAS calls but has no stream to program.</summary>
    public bool ProgramStreams { get; init; } = true;
}

/// <summary>Something QHEE did for a PAS peripheral, for traces.</summary>
public readonly record struct QheeEvent(VirtualTime Time, uint PasId, string What)
{
    public override string ToString() => $"{Time} QHEE PAS {PasId}: {What}";
}

using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Time;

namespace Qtz.Soc.SystemMmu;

/// <summary>What became of a device transaction at the SMMU (and, for accesses, on the bus behind it).</summary>
public enum SmmuStatus : byte
{
    Ok,

    /// <summary>No valid descriptor for the address (FSR.TF), or the address is outside the context's input range.</summary>
    TranslationFault,

    /// <summary>The descriptor forbids this kind of access at this privilege (FSR.PF).</summary>
    PermissionFault,

    /// <summary>The leaf's access flag is clear (FSR.AFF).</summary>
    AccessFlagFault,

    /// <summary>The output address is beyond the context's physical address size (FSR.ASF).</summary>
    AddressSizeFault,

    /// <summary>The walker's own descriptor read was refused by the bus (FSR.EF, FSYNR0.PTWF).</summary>
    WalkExternalFault,

    /// <summary>A global fault: unmatched stream with USFCFG=1, S2CR FAULT, conflicting SMRs, bad context bank.</summary>
    StreamFault,

    /// <summary>Translation succeeded but the bus refused the data transaction (decode error or protection).</summary>
    BusError,
}

/// <summary>The SMMU's answer for one address: the physical address on success.</summary>
public readonly record struct SmmuTranslation(SmmuStatus Status, PhysAddr Address)
{
    public bool IsOk => Status == SmmuStatus.Ok;
}

/// <summary>The outcome of a device access through the SMMU.</summary>
public readonly record struct SmmuAccessResult(SmmuStatus Status, Iova Iova, PhysAddr Address, BusStatus Bus)
{
    public bool IsOk => Status == SmmuStatus.Ok;

    public override string ToString() => Status switch
    {
        SmmuStatus.Ok => $"ok {Iova} -> {Address}",
        SmmuStatus.BusError => $"bus error ({Bus}) at {Address} for {Iova}",
        _ => $"{Status} at {Iova}",
    };
}

/// <summary>
/// A fault the SMMU recorded, for traces. <see cref="ContextBank"/> is -1 for global (stream) faults;
/// <see cref="Syndrome"/> is FSR (context) or sGFSR (global) as latched.
/// </summary>
public readonly record struct SmmuFault(
    VirtualTime Time,
    string Smmu,
    ushort StreamId,
    int ContextBank,
    Iova Iova,
    AccessKind Kind,
    SmmuStatus Status,
    uint Syndrome,
    int Level)
{
    public override string ToString() =>
        $"{Time} {Smmu}: sid 0x{StreamId:x} {Kind.ToString().ToLowerInvariant()} {Iova} {Status}" + (ContextBank >= 0 ? $" cb{ContextBank} level {Level}" : " (global)");
}

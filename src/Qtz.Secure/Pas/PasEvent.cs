using Qtz.Soc;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Secure.Pas;

/// <summary>Where a PAS id is in TrustZone's state machine (spec/scm-pas.md §2.5, §10.3).</summary>
public enum PasState : byte
{
    Idle,

    /// <summary>INIT_IMAGE authenticated the metadata; it is held in secure memory.</summary>
    MetadataInit,

    /// <summary>MEM_SETUP fixed the load base.</summary>
    MemSetup,

    /// <summary>AUTH_AND_RESET passed: carveout locked, core released.</summary>
    Running,
}

/// <summary>
/// One thing PAS did or refused, for traces and for the board to print why a DSP did not start.
/// <see cref="Status"/> is the x0 answered, <see cref="Code"/> the x1 service code (<see cref="PasErrors"/>).
/// A warning (enforcement off) has <see cref="Refused"/> false and a reason.
/// </summary>
public readonly record struct PasEvent(VirtualTime Time, uint PasId, string Call, long Status, ulong Code, string Reason)
{
    public bool Refused => Status != ScmStatus.Success || Code != PasErrors.None;

    public override string ToString() =>
        $"{Time} PAS {PasId} {Call}: {(Refused ? $"refused ({(Status != 0 ? ScmStatus.Name(Status) : PasErrors.Name(Code))})" : "ok")}{(Reason.Length > 0 ? " — " + Reason : "")}";
}

using Qtz.Kernel.Pas;
using Qtz.Kernel.Tee;
using Qtz.Secure;
using Qtz.Secure.Tee;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Secure.Scm;
using Qtz.Secure.Pas;

namespace Qtz.Platform.Boards;

/// <summary>Which secure OS answers Linux's PAS calls (spec/socs.md §4; ARCHITECTURE §7: two front doors, one core).</summary>
public enum TeeBackend
{
    /// <summary>Qualcomm's TEE through SCM calls: the PIL service, registered as the "qcom_scm" backend at SCM probe.</summary>
    Qtee,

    /// <summary>OP-TEE: TrustZone has no PIL service; Linux's "qcom-pas-tee" backend reaches the PAS TA through the TEE client interface.</summary>
    Optee,
}

/// <summary>The generic PAS layer and its backend: QTEE registered from the SCM probe, or OP-TEE's TEE client driver.</summary>
public sealed partial class Board
{
    /// <summary>Linux's generic PAS layer (qcom_pas): every PAS driver's calls go through it.</summary>
    public QcomPas PasLayer { get; } = new();

    /// <summary>The secure OS on an OP-TEE board (its PAS TA drives <see cref="Pas"/>, the one PAS core); null on QTEE boards.</summary>
    public OpteeOs? Optee { get; private set; }

    /// <summary>Linux's TEE client (OP-TEE driver) on an OP-TEE board; null on QTEE boards.</summary>
    public OpteeClient? TeeClient { get; private set; }

    /// <summary>Builds OP-TEE with the PAS TA over the PAS core; the SCM dispatcher then offers no PIL service.</summary>
    private void BuildOptee()
    {
        if (Options.Mode == KernelMode.Qhee)
            BoardException.Throw("--tee optee needs Linux at EL2 (--mode kvm): OP-TEE boards run without Qualcomm's hypervisor, which only traps QTEE's PAS calls");
        Optee = new OpteeOs(World).Add(new PasTrustedApp(Pas));
        Optee.Traced += e => Trace.Add(e.Time, BoardTraceKind.Tee, "optee", e.ToString());
    }

    /// <summary>EL3's routing: the SCM dispatcher alone, or OP-TEE's calls beside it.</summary>
    private ISecureMonitor SecureMonitorFor(ScmDispatcher dispatcher) =>
        Optee is { } optee ? new SecureMonitor(dispatcher, optee) : dispatcher;

    /// <summary>
    /// qcom_scm_probe registers the QTEE backend when TZ has PIL AUTH_AND_RESET (IS_CALL_AVAIL, as merged);
    /// on an OP-TEE board it does not, and the TEE client driver's probe (bound by the TA's UUID) registers
    /// "qcom-pas-tee" instead. A failed probe leaves the layer empty: every PAS driver then defers.
    /// </summary>
    private void BuildPasLayer()
    {
        PasLayer.Logged += m => Trace.Add(Clock.Now, BoardTraceKind.Note, "qcom_pas", m);
        QteePasOps.RegisterFromScmProbe(Scm, PasLayer);
        if (Options.Tee != TeeBackend.Optee) return;
        TeeClient = new OpteeClient(Conduit, Bus, KernelCpu, Dma);
        var ret = OpteePasOps.Probe(TeeClient, PasLayer, out _);
        if (ret != 0) Trace.Add(Clock.Now, BoardTraceKind.Note, "qcom_pas_tee", $"probe failed: {ret}; no PAS backend, the PAS drivers defer");
    }
}

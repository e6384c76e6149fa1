using Qtz.Soc.Dsp;
using Qtz.Soc;

namespace Qtz.Kernel.Remoteproc;

/// <summary>qcom_pas_attach (spec/socs.md §2.7): adopt a DSP the bootloader started, reading the SMP2P line levels.</summary>
public sealed partial class PasRemoteproc
{
    /// <summary>
    /// Handover counts as issued and running is set; then the levels (not edges) of the inbound lines decide:
    /// fatal high → crash reported, -EINVAL; stop-ack high → "stop state set", OFFLINE, -EINVAL; ready low →
    /// the bootloader did not start it, OFFLINE, -EINVAL; else ATTACHED. No firmware, no PAS call, no proxy
    /// vote, no QMP load_state or interconnect vote. The sysmon shutdown-ack line is not modelled (qtz has no
    /// sysmon); stop-ack stands for both.
    /// </summary>
    void IRprocAttachOps.Attach(Rproc rproc)
    {
        Q6v5.MarkAttached();
        var lines = _config.FromDsp;
        if (lines.Get(DspSignals.FatalBit))
        {
            Q6v5.AbandonAttach();
            rproc.ReportCrash(RprocCrashType.FatalError, "fatal error found at attach: " + Q6v5.CrashReason());
            throw new RprocException(Errno.EINVAL, "attach: the fatal line is high (the DSP crashed before Linux came up)");
        }

        if (lines.Get(DspSignals.StopAckBit))
        {
            Q6v5.AbandonAttach();
            rproc.MarkOffline();
            throw new RprocException(Errno.EINVAL, "attach: stop state set (stop-ack high)");
        }

        if (!lines.Get(DspSignals.ReadyBit))
        {
            Q6v5.AbandonAttach();
            rproc.MarkOffline();
            throw new RprocException(Errno.EINVAL, "attach: ready is low (the bootloader did not start it)");
        }

        rproc.Trace("attach: ready high, fatal and stop-ack low: adopted as running (no firmware request, no PAS call, no proxy votes)");
    }
}

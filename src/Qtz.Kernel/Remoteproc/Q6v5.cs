using Qtz.Soc;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// drivers/remoteproc/qcom_q6v5.c: the interrupt state machine shared by Qualcomm DSP drivers
/// (spec/scm-pas.md §7.7). Rising edges of the DSP's SMP2P bits fatal/ready/handover/stop-ack and the
/// watchdog line drive it; waits run the virtual clock instead of sleeping.
/// </summary>
public sealed class Q6v5
{
    private readonly Rproc _rproc;
    private readonly Smp2pEntry _toDsp;
    private readonly SharedMemory _smem;
    private readonly uint _crashReasonItem;
    private readonly int _stopBit;
    private bool _startDone;
    private bool _stopDone;
    private bool _handoverEnabled;

    public Q6v5(Rproc rproc, Smp2pEntry fromDsp, Smp2pEntry toDsp, IrqLine watchdog, SharedMemory smem, uint crashReasonItem, int stopBit)
    {
        ArgumentNullException.ThrowIfNull(rproc);
        ArgumentNullException.ThrowIfNull(fromDsp);
        ArgumentNullException.ThrowIfNull(toDsp);
        ArgumentNullException.ThrowIfNull(watchdog);
        ArgumentNullException.ThrowIfNull(smem);
        _rproc = rproc;
        _toDsp = toDsp;
        _smem = smem;
        _crashReasonItem = crashReasonItem;
        _stopBit = stopBit;
        fromDsp.BitChanged += OnInbound;
        watchdog.Raised += _ => OnWatchdog();
    }

    /// <summary>q6v5->running: between prepare and a crash or stop request.</summary>
    public bool Running { get; private set; }

    public bool HandoverIssued { get; private set; }

    /// <summary>The driver's handover hook (drop proxy votes).</summary>
    public Action? Handover { get; set; }

    /// <summary>qcom_q6v5_prepare: reset completions, running = true, handover not issued, enable the handover IRQ.</summary>
    public void Prepare()
    {
        _startDone = false;
        _stopDone = false;
        Running = true;
        HandoverIssued = false;
        _handoverEnabled = true;
    }

    /// <summary>
    /// Attach to a processor the bootloader started (spec/socs.md §2.7): handover counts as already issued
    /// and running is set, without prepare (no votes were taken on its behalf).
    /// </summary>
    public void MarkAttached()
    {
        _startDone = true;
        _stopDone = false;
        Running = true;
        HandoverIssued = true;
        _handoverEnabled = false;
    }

    /// <summary>An attach that did not happen: running cleared again.</summary>
    public void AbandonAttach() => Running = false;

    /// <summary>qcom_q6v5_unprepare: disable handover; returns whether handover had happened (else the caller runs it now).</summary>
    public bool Unprepare()
    {
        _handoverEnabled = false;
        return HandoverIssued;
    }

    /// <summary>qcom_q6v5_wait_for_start: true when "ready" arrived within <paramref name="timeout"/> of virtual time.</summary>
    public bool WaitForStart(TimeSpan timeout) => _rproc.Clock.RunUntil(() => _startDone, timeout);

    /// <summary>
    /// qcom_q6v5_request_stop: running = false; for a running processor set "stop", wait for stop-ack (or a
    /// watchdog) up to <paramref name="timeout"/>, clear "stop". A timeout is only logged. True when acked.
    /// </summary>
    public bool RequestStop(TimeSpan timeout)
    {
        Running = false;
        if (_rproc.State is not (RprocState.Running or RprocState.Attached)) return true;
        _stopDone = false;
        _toDsp.Set(_stopBit, true);
        var acked = _rproc.Clock.RunUntil(() => _stopDone, timeout);
        if (!acked) _rproc.Trace($"timed out on wait for stop-ack after {timeout.TotalMilliseconds:0} ms");
        _toDsp.Set(_stopBit, false);
        return acked;
    }

    /// <summary>Why the firmware says it crashed (SMEM item, host ANY), or a fixed text when it left none.</summary>
    public string CrashReason() => _smem.ReadString(SharedMemory.HostAny, _crashReasonItem) ?? "unknown reason (no crash string in SMEM)";

    private void OnInbound(int bit, bool value)
    {
        if (!value) return;
        switch (bit)
        {
            case DspSignals.FatalBit:
                if (!Running) return;
                Running = false;
                _rproc.ReportCrash(RprocCrashType.FatalError, "fatal error received: " + CrashReason());
                break;
            case DspSignals.ReadyBit:
                _startDone = true;
                _rproc.Trace("ready");
                break;
            case DspSignals.HandoverBit:
                if (!_handoverEnabled) return;
                _handoverEnabled = false;
                HandoverIssued = true;
                _rproc.Trace("handover: proxy votes dropped");
                Handover?.Invoke();
                break;
            case DspSignals.StopAckBit:
                _stopDone = true;
                _rproc.Trace("stop-ack");
                break;
        }
    }

    private void OnWatchdog()
    {
        if (!Running)
        {
            _stopDone = true;
            return;
        }

        Running = false;
        _rproc.ReportCrash(RprocCrashType.Watchdog, "watchdog received: " + CrashReason());
    }
}

using Qtz.Soc.Signals;

namespace Qtz.Soc.Dsp;

/// <summary>
/// The q6v5 handshake wiring of one DSP: its outbound SMP2P entry (fatal, ready, handover, stop-ack —
/// SA8775p bit order after the June 2025 fix), Linux's outbound entry carrying "stop", and the
/// watchdog interrupt line.
/// </summary>
public sealed class DspSignals
{
    public const int FatalBit = 0;
    public const int ReadyBit = 1;
    public const int HandoverBit = 2;
    public const int StopAckBit = 3;
    public const int StopBit = 0;

    public DspSignals(string name, InterruptController irqs)
    {
        ArgumentNullException.ThrowIfNull(irqs);
        FromDsp = new Smp2pEntry(name, "master-kernel");
        ToDsp = new Smp2pEntry("apps", name + "-stop");
        Watchdog = irqs.Line(name + ":wdog");
    }

    /// <summary>The entry the DSP writes and Linux reads (smp2p_X_in).</summary>
    public Smp2pEntry FromDsp { get; }

    /// <summary>The entry Linux writes and the DSP reads (smp2p_X_out, "stop" state).</summary>
    public Smp2pEntry ToDsp { get; }

    public IrqLine Watchdog { get; }
}

namespace Qtz.Linux.Remoteproc;

/// <summary>
/// The GIC SPIs that carry a DSP's q6v5 handshake into the guest. On a real SoC these are SMP2P
/// virtual interrupts (and the watchdog a GIC SPI); QEMU's virt machine has neither, so each becomes
/// an edge-triggered SPI that qtz makes pending through the monitor. QEMU virt's own SPIs end at 175
/// (its platform bus takes 112..175) and its GICv2 decodes up to 255, so DSP k gets 176 + 5k onwards,
/// in the binding's order.
/// </summary>
public static class GuestSpis
{
    public const int First = 176;
    public const int Last = 255;

    /// <summary>Interrupt names in qcom,pas-common's order; the index is the offset from a DSP's first SPI.</summary>
    public static readonly IReadOnlyList<string> Names = ["wdog", "fatal", "ready", "handover", "stop-ack"];

    public const int Wdog = 0;
    public const int Fatal = 1;
    public const int Ready = 2;
    public const int Handover = 3;
    public const int StopAck = 4;

    /// <summary>First SPI of the DSP at <paramref name="index"/> (DT order).</summary>
    public static int Base(int index)
    {
        var first = First + (Names.Count * index);
        if (index < 0 || first + Names.Count - 1 > Last)
            throw new ArgumentOutOfRangeException(nameof(index), $"QEMU virt's GIC has room for {(Last - First + 1) / Names.Count} DSPs above SPI {First - 1}");
        return first;
    }
}

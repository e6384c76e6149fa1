namespace Qtz.Linux.Bridge;

/// <summary>
/// Interrupts qtz raises into the running guest (a DSP's ready, handover, stop-ack, fatal): the SPI
/// becomes pending in the guest's GIC and Linux takes it like a wire from hardware.
/// </summary>
public interface IGuestInterrupts
{
    /// <summary>
    /// Makes SPI <paramref name="spi"/> (GIC INTID 32 + spi) pending in the guest. Safe from any thread;
    /// calls are serialised (the monitor has one request slot) and each returns once the monitor has
    /// set the pending bit, or false if the guest did not take it within a second (it stopped?).
    /// </summary>
    bool Raise(int spi);
}

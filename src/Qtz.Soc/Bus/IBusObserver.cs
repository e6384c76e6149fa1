using Qtz.Soc.Addressing;

namespace Qtz.Soc.Bus;

/// <summary>
/// Sees every transaction the bus admits (decoded and allowed by protection, just before data moves),
/// like a bus analyser on real hardware: security invariants use it to check who touched what. It
/// must not issue transactions of its own. Refused transactions are <see cref="BusFault"/>s instead.
/// </summary>
public interface IBusObserver
{
    void Admitted(BusMaster master, PhysAddr address, ulong length, AccessKind kind, BusWindow window);
}

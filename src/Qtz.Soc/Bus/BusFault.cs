using Qtz.Soc.Addressing;
using Qtz.Soc.Time;

namespace Qtz.Soc.Bus;

/// <summary>Why the bus refused a transaction.</summary>
public enum BusStatus : byte
{
    Ok,

    /// <summary>No RAM or device decodes the address (or an MMIO access of an unsupported width).</summary>
    DecodeError,

    /// <summary>A protection unit denied the master this kind of access.</summary>
    Denied,
}

/// <summary>
/// A refused transaction, as the interconnect would log it. The requester gets an error and never
/// data; the board keeps these as events (a guest's misbehaviour is recorded, not thrown).
/// </summary>
public readonly record struct BusFault(
    VirtualTime Time,
    BusMaster Master,
    PhysAddr Address,
    ulong Length,
    AccessKind Kind,
    BusStatus Status,
    string Region)
{
    public override string ToString() =>
        $"{Time} bus fault: {Master} {Kind.ToString().ToLowerInvariant()} {Address}+0x{Length:x} {(Status == BusStatus.Denied ? "denied by " + Region : "decodes to nothing")}";
}

using Qtz.Soc;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Secure.Scm;

/// <summary>How a service will use a non-secure buffer.</summary>
public enum ScmBufferAccess : byte
{
    ReadOnly,
    ReadWrite,
}

/// <summary>
/// The TrustZone firmware's shared state: the bus it reaches memory through (as the secure master),
/// the clock, and the SHM bridge table. Every SCM service gets it through <see cref="ScmRequest.World"/>;
/// non-secure memory is validated here, in one place, so no service can skip the bridge rule.
/// </summary>
public sealed class SecureWorld
{
    public SecureWorld(SystemBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        Bus = bus;
    }

    public SystemBus Bus { get; }

    public VirtualClock Clock => Bus.Clock;

    /// <summary>The master TZ's own accesses carry.</summary>
    public static BusMaster Master => BusMaster.SecureWorld;

    public ShmBridgeTable Bridges { get; } = new();

    /// <summary>
    /// Whether [<paramref name="address"/>, +<paramref name="length"/>) is a buffer the non-secure
    /// <paramref name="caller"/> may hand to TZ: non-empty, not wrapping, plain RAM the caller itself may
    /// access that way, and — once SHM bridges are enabled — wholly inside one live bridge whose
    /// non-secure permissions allow the access. Returns <see cref="ScmStatus.Success"/> or
    /// <see cref="ScmStatus.InvalidAddress"/>; never touches the bus's fault log.
    /// </summary>
    public long CheckNonSecureBuffer(BusMaster caller, PhysAddr address, ulong length, ScmBufferAccess access)
    {
        var status = CheckNonSecureRam(caller, address, length, access);
        if (status != ScmStatus.Success) return status;
        if (Bridges.Enabled && !Bridges.Covers(new PhysRange(address, length), access)) return ScmStatus.InvalidAddress;
        return ScmStatus.Success;
    }

    /// <summary>
    /// The bridge-independent half of <see cref="CheckNonSecureBuffer"/>: non-empty, not wrapping, inside one
    /// RAM window, and accessible to <paramref name="caller"/> itself (a secure carveout is not).
    /// </summary>
    public long CheckNonSecureRam(BusMaster caller, PhysAddr address, ulong length, ScmBufferAccess access = ScmBufferAccess.ReadOnly)
    {
        if (!PhysRange.TryCreate(address.Value, length, out var range)) return ScmStatus.InvalidAddress;
        var window = Bus.Decode(address);
        if (window is null || !window.IsRam || !window.Range.Contains(range)) return ScmStatus.InvalidAddress;
        if (Bus.Protection.FindDenying(caller, address, length, AccessKind.Read) is not null) return ScmStatus.InvalidAddress;
        if (access == ScmBufferAccess.ReadWrite && Bus.Protection.FindDenying(caller, address, length, AccessKind.Write) is not null)
            return ScmStatus.InvalidAddress;
        return ScmStatus.Success;
    }
}

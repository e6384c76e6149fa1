using Qtz.DeviceTree;
using Qtz.Linux.Bridge;
using Qtz.Secure;
using Qtz.DeviceTree.Model;
using Qtz.Secure.Scm;

namespace Qtz.Linux.Guest;

/// <summary>
/// A part of the guest's board contributed from outside the core (the remote processors, say): its
/// TrustZone services, its device-tree nodes, and what it does once the guest runs. Every method has
/// a do-nothing default; implement what the part needs.
/// </summary>
public interface ILinuxGuestExtension
{
    /// <summary>Adds SCM services to TrustZone before the dispatcher is built.</summary>
    void AddSecureServices(GuestWorld world, ScmServiceTable.Builder services)
    {
    }

    /// <summary>Adds or edits nodes of the guest's device tree (QEMU virt's plus qtz's firmware nodes).</summary>
    void AddDeviceTreeNodes(GuestWorld world, DtTree tree)
    {
    }

    /// <summary>The guest is about to boot: interrupts can be raised from now on (from events or any thread).</summary>
    void Started(GuestWorld world, IGuestInterrupts interrupts)
    {
    }
}

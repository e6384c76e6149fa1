using Qtz.Platform.Boards;
using Qtz.Soc;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Addressing;

namespace Qtz.Linux.Remoteproc;

/// <summary>How the guest's remote processors are built.</summary>
public sealed record GuestRemoteprocOptions
{
    public GuestHypervisor Hypervisor { get; init; } = GuestHypervisor.Qhee;

    /// <summary>qtz's board the remoteprocs come from; null = the embedded SA8775p ride board.</summary>
    public NamedBlob? Dtb { get; init; }

    /// <summary>Root hashes the fuses trust besides the embedded test root and the released SA8775p images' root.</summary>
    public IReadOnlyList<byte[]> TrustRoots { get; init; } = [];

    /// <summary>Host-side faults to inject into the DSPs while the guest runs.</summary>
    public IReadOnlyList<RprocInjection> Injections { get; init; } = [];

    /// <summary>
    /// qtz-private RAM for the hypervisor's (QHEE) or the KVM host's SMMU page tables: outside the guest's
    /// RAM file, so nothing in the guest can see or overwrite it. QEMU virt has nothing at 4 GiB with
    /// 2 GiB of RAM, and qtz's bus is not QEMU's: the guest never decodes this range.
    /// </summary>
    public PhysRange PrivateRam { get; init; } = new(new PhysAddr(0x1_0000_0000), 16 << 20);
}

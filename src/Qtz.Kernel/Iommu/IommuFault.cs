using Qtz.Soc;
using Qtz.DeviceTree.Properties;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.Iommu;

/// <summary>report_iommu_fault flags: IOMMU_FAULT_READ = 0, IOMMU_FAULT_WRITE = 1.</summary>
[Flags]
public enum IommuFaultFlags
{
    Read = 0,
    Write = 1,
}

/// <summary>
/// iommu_set_fault_handler's callback: the domain, the faulting IOVA (the context bank's FAR) and the
/// flags. Return <see cref="Errno.None"/> when handled, <see cref="Errno.ENOSYS"/> to let the SMMU driver
/// log it as unhandled (what remoteproc's handler does after reporting the crash).
/// </summary>
public delegate Errno IommuFaultHandler(IommuDomain domain, Iova iova, IommuFaultFlags flags);

/// <summary>A map or unmap on a domain, for traces. For an unmap <see cref="Result"/> is None and <see cref="Bytes"/> is what was unmapped.</summary>
public readonly record struct IommuMapEvent(bool IsUnmap, Iova Iova, PhysAddr Paddr, ulong Size, IommuProt Prot, Errno Result, ulong Bytes);

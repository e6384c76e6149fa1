using Qtz.DeviceTree.Properties;

namespace Qtz.Kernel.Iommu;

/// <summary>
/// IOMMU mapping permissions and attributes, bit for bit as include/linux/iommu.h defines them. There
/// is no NOCACHE: non-cacheable is "CACHE omitted".
/// </summary>
[Flags]
public enum IommuProt
{
    None = 0,
    Read = 1 << 0,
    Write = 1 << 1,

    /// <summary>DMA cache coherency: Normal write-back, inner-shareable.</summary>
    Cache = 1 << 2,

    /// <summary>No instruction fetch (PXN and UXN).</summary>
    NoExec = 1 << 3,

    /// <summary>Device memory (e.g. MSI doorbells); overrides CACHE.</summary>
    Mmio = 1 << 4,

    /// <summary>Privileged-only: unprivileged transactions get no access.</summary>
    Priv = 1 << 5,

    ReadWrite = Read | Write,
}

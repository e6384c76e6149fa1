namespace Qtz.Kernel.Iommu;

/// <summary>
/// The TLB maintenance io-pgtable asks of the IOMMU driver (iommu_flush_ops): leaves are invalidated
/// as they are cleared, walks when a table is freed, and a sync ends an unmap.
/// </summary>
public interface IIoTlbOps
{
    /// <summary>A leaf of size <paramref name="granule"/> at <paramref name="iova"/> was cleared (tlb_add_page).</summary>
    void AddPage(ulong iova, ulong granule);

    /// <summary>A table covering [iova, iova + size) was freed: drop cached walks (tlb_flush_walk).</summary>
    void FlushWalk(ulong iova, ulong size, ulong granule);

    /// <summary>Wait for every invalidation issued so far (iotlb_sync).</summary>
    void Sync();
}

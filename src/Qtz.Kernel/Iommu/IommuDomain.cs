using System.Numerics;
using Qtz.Soc;
using Qtz.DeviceTree.Properties;
using Qtz.Soc.Addressing;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Iommu;

/// <summary>
/// A paging (UNMANAGED) IOMMU domain: one stage-1 page table, the Linux IOMMU core's map/unmap
/// contract on top of it (spec/iommu.md §A2), and — once attached — one SMMU context bank. Created
/// by <see cref="ArmSmmu.AllocateDomain"/>. Bad input never throws: it gets the errno Linux returns.
/// </summary>
public sealed class IommuDomain
{
    private readonly Lock _gate = new();
    private readonly Action<string> _log;
    private IommuFaultHandler? _faultHandler;

    internal IommuDomain(ArmSmmu smmu, IoPgTableConfig config, PageAllocator pages, Action<string> log)
    {
        Smmu = smmu;
        _log = log;
        Tlb = new DomainTlb(smmu);
        PageTable = new ArmLpaeS1PageTable(config, pages, Tlb);
    }

    public ArmSmmu Smmu { get; }

    public ArmLpaeS1PageTable PageTable { get; }

    /// <summary>domain->pgsize_bitmap: 4K | 2M | 1G.</summary>
    public ulong PageSizeBitmap => PageTable.Config.PageSizeBitmap;

    /// <summary>domain->geometry: [0, 2^IAS − 1].</summary>
    public Iova ApertureStart { get; } = new(0);

    public Iova ApertureEnd => new((1UL << PageTable.Config.InputAddressBits) - 1);

    /// <summary>The context bank once attached, else -1. The ASID equals it, as in arm-smmu.</summary>
    public int ContextBank => Tlb.ContextBank;

    public bool IsFreed { get; private set; }

    internal DomainTlb Tlb { get; }

    /// <summary>Every map and unmap, for traces.</summary>
    public event Action<IommuMapEvent>? Changed;

    /// <summary>iommu_set_fault_handler: replaces the handler (null removes it).</summary>
    public void SetFaultHandler(IommuFaultHandler? handler) => _faultHandler = handler;

    /// <summary>
    /// iommu_map: 0 or an errno. (iova | paddr | size) must be a multiple of the smallest page size and
    /// size non-zero (-EINVAL; Linux treats size 0 as a no-op, the issue asks for -EINVAL); a range
    /// reaching beyond the input or output address size is -ERANGE; an overlap with an existing mapping
    /// -EEXIST; prot without READ or WRITE -EINVAL. On failure everything mapped by this call is undone.
    /// </summary>
    public Errno Map(Iova iova, PhysAddr paddr, ulong size, IommuProt prot)
    {
        var result = MapLocked(iova.Value, paddr.Value, size, prot);
        Changed?.Invoke(new IommuMapEvent(false, iova, paddr, size, prot, result, result == Errno.None ? size : 0));
        return result;
    }

    /// <summary>
    /// iommu_unmap: the bytes unmapped from <paramref name="iova"/>. Stops at the first hole and never
    /// splits a block mapped by one larger call (then it returns what it managed before that, possibly 0).
    /// A misaligned iova or size unmaps nothing and returns 0. TLB entries are invalidated before it returns.
    /// </summary>
    public ulong Unmap(Iova iova, ulong size)
    {
        ulong unmapped;
        lock (_gate)
        {
            ThrowIfFreed();
            var minPageSize = MinPageSize;
            if (((iova.Value | size) & (minPageSize - 1)) != 0)
            {
                _log($"unaligned: iova {iova} size 0x{size:x} min_pagesz 0x{minPageSize:x}");
                return 0;
            }

            unmapped = UnmapRange(iova.Value, size);
        }

        Changed?.Invoke(new IommuMapEvent(true, iova, default, size, IommuProt.None, Errno.None, unmapped));
        return unmapped;
    }

    /// <summary>iommu_iova_to_phys: the physical address, or 0 when unmapped (0 is therefore ambiguous, as in Linux).</summary>
    public PhysAddr IovaToPhys(Iova iova)
    {
        lock (_gate)
        {
            ThrowIfFreed();
            return new PhysAddr(PageTable.IovaToPhys(iova.Value));
        }
    }

    /// <summary>report_iommu_fault: runs the handler, or returns -ENOSYS when there is none.</summary>
    public Errno ReportFault(Iova iova, IommuFaultFlags flags) => _faultHandler?.Invoke(this, iova, flags) ?? Errno.ENOSYS;

    /// <summary>iommu_domain_free: detaches from the SMMU and returns every page-table page.</summary>
    public void Free()
    {
        lock (_gate)
        {
            if (IsFreed) return;
            Smmu.Release(this);
            PageTable.Free();
            IsFreed = true;
        }
    }

    private ulong MinPageSize => 1UL << BitOperations.TrailingZeroCount(PageSizeBitmap);

    private Errno MapLocked(ulong iova, ulong paddr, ulong size, IommuProt prot)
    {
        lock (_gate)
        {
            ThrowIfFreed();
            var minPageSize = MinPageSize;
            if (((iova | paddr | size) & (minPageSize - 1)) != 0 || size == 0)
            {
                _log($"unaligned: iova 0x{iova:x} pa 0x{paddr:x} size 0x{size:x} min_pagesz 0x{minPageSize:x}");
                return Errno.EINVAL;
            }

            if (size - 1 > ulong.MaxValue - iova || size - 1 > ulong.MaxValue - paddr) return Errno.ERANGE;

            var origIova = iova;
            var remaining = size;
            var result = Errno.None;
            while (remaining != 0)
            {
                var run = PageSizeSplitter.Next(PageSizeBitmap, iova, paddr, remaining);
                result = PageTable.MapPages(iova, paddr, run.PageSize, run.Count, prot, out var mapped);
                remaining -= mapped;
                if (result != Errno.None) break;
                iova += mapped;
                paddr += mapped;
            }

            if (result != Errno.None && size - remaining != 0) UnmapRange(origIova, size - remaining);
            return result;
        }
    }

    private ulong UnmapRange(ulong iova, ulong size)
    {
        ulong unmapped = 0;
        while (unmapped < size)
        {
            var run = PageSizeSplitter.Next(PageSizeBitmap, iova, iova, size - unmapped);
            var done = PageTable.UnmapPages(iova, run.PageSize, run.Count);
            if (done == 0) break;
            iova += done;
            unmapped += done;
        }

        Tlb.Sync();
        return unmapped;
    }

    private void ThrowIfFreed() => ObjectDisposedException.ThrowIf(IsFreed, this);
}

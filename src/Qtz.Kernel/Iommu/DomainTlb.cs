using Qtz.Soc;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Iommu;

/// <summary>
/// arm-smmu's stage-1 flush ops for one domain, issued as register writes: a cleared leaf gets
/// TLBIVAL (by VA and ASID), a freed table TLBIASID (Qualcomm's flush_walk_prefer_tlbiasid), and sync
/// is TLBSYNC followed by polling TLBSTATUS. Nothing is issued while the domain has no context bank.
/// </summary>
internal sealed class DomainTlb(ArmSmmu smmu) : IIoTlbOps
{
    public int ContextBank { get; set; } = -1;

    public ushort Asid => (ushort)ContextBank;

    /// <summary>TLB maintenance register writes issued (for tests and benchmarks).</summary>
    public long Invalidations { get; private set; }

    public void AddPage(ulong iova, ulong granule)
    {
        if (ContextBank < 0) return;
        smmu.WriteBank64(ContextBank, SmmuRegisters.CbTlbiVal, SmmuRegisters.TlbiVaOperand(iova, Asid));
        Invalidations++;
    }

    public void FlushWalk(ulong iova, ulong size, ulong granule) => InvalidateContext();

    public void Sync()
    {
        if (ContextBank >= 0) smmu.SyncBank(ContextBank);
    }

    /// <summary>arm_smmu_tlb_inv_context_s1: TLBIASID + sync.</summary>
    public void InvalidateContext()
    {
        if (ContextBank < 0) return;
        smmu.WriteBank32(ContextBank, SmmuRegisters.CbTlbiAsid, Asid);
        Invalidations++;
        smmu.SyncBank(ContextBank);
    }
}

using Qtz.Soc;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Secure.Hypervisor;

/// <summary>
/// One DSP stream QHEE translates: its own stream-match entry and context bank (taken from the top of
/// the SMMU, where Linux's allocator does not reach first), an identity map of the carveout plus the
/// device memory, and a protection region over the bank's register page so EL1 cannot reprogram it.
/// All register traffic is MMIO as the hypervisor master.
/// </summary>
internal sealed class QheeStream(SystemBus bus, PhysAddr smmuBase, PasPeripheral peripheral, int smrIndex, int bank, int globalPages)
{
    private const uint S2crTypeFault = 2;
    private const uint Mair0 = 0x0004_FF44; // idx0 normal non-cacheable, idx1 normal write-back, idx2 device
    private HypPageTable? _table;

    public PasPeripheral Peripheral { get; } = peripheral;

    public int ContextBank { get; } = bank;

    public bool Active => _table is not null;

    public int TablePages => _table?.Pages ?? 0;

    public PhysRange BankRegisters => new(smmuBase + (ulong)(globalPages + ContextBank) * PageSize, PageSize);

    public string RegionName => $"qhee:smmu-cb{ContextBank}:{Peripheral.Name}";

    /// <summary>(iova, pa, length) of everything mapped while active.</summary>
    public IReadOnlyList<(Iova Iova, PhysAddr Physical, ulong Length)> Mappings { get; private set; } = [];

    /// <summary>Builds the tables and programs bank, S2CR and SMR (valid last); false (nothing left behind) when tables do not fit.</summary>
    public bool Program(HypPagePool pool, int inputBits)
    {
        var table = HypPageTable.Create(bus, pool, inputBits);
        if (table is null) return false;
        var p = Peripheral;
        var maps = new List<(Iova, PhysAddr, ulong)> { (new Iova(p.Carveout.Base.Value), p.Carveout.Base, p.Carveout.Size) };
        maps.AddRange(p.DeviceMemory.Select(d => (d.DeviceAddress, d.Physical, d.Length)));
        maps.AddRange(p.CompanionCarveouts.Select(c => (new Iova(c.Base.Value), c.Base, c.Size)));
        var ok = table.Map(p.Carveout.Base.Value, p.Carveout.Base.Value, p.Carveout.Size, AccessPermissions.All)
            && p.DeviceMemory.All(d => table.Map(d.DeviceAddress.Value, d.Physical.Value, d.Length, d.Permissions))
            && p.CompanionCarveouts.All(c => table.Map(c.Base.Value, c.Base.Value, c.Size, AccessPermissions.Read));
        if (!ok)
        {
            table.Free();
            return false;
        }

        _table = table;
        Mappings = maps;
        // Out of reset the SMMU lets every client bypass; the hypervisor that owns it turns translation on
        // and, as Linux's arm-smmu does by default (disable_bypass), makes an unmatched stream fault
        // rather than reach all of memory: a stream left without its entry (a teardown bug, a DSP
        // released behind QHEE's back) is then stopped, not let through. UNCONFIRMED for QHEE itself.
        if (bus.ReadUInt32(BusMaster.Hyp, smmuBase + SCr0, out var scr0) == BusStatus.Ok && (scr0 & (SCr0ClientPd | SCr0UsfCfg)) != SCr0UsfCfg)
            Write32(smmuBase + SCr0, (scr0 & ~SCr0ClientPd) | SCr0UsfCfg);
        var cb = BankRegisters.Base;
        Write32(cb + CbSctlr, 0);
        Write32(smmuBase + (ulong)(PageSize + CbarBase + 4 * ContextBank), CbarTypeS1TransS2Bypass << CbarTypeShift | (uint)ContextBank << CbarIrptNdxShift | p.Vmid.Value);
        Write32(smmuBase + (ulong)(PageSize + Cba2rBase + 4 * ContextBank), Cba2rVa64);
        Write32(cb + CbTcr2, 0);
        Write32(cb + CbTcr, (uint)(64 - inputBits) | 1u << TcrIrgn0Shift | 1u << TcrOrgn0Shift | 3u << TcrSh0Shift | TcrEpd1);
        Write32(cb + CbMair0, Mair0);
        Write64(cb + CbTtbr0, Ttbr(table.Root, (ushort)ContextBank));
        Write32(cb + CbTlbiAll, 0);
        Write32(cb + CbSctlr, SctlrM);
        Write32(smmuBase + (ulong)(S2crBase + 4 * smrIndex), (uint)ContextBank);
        Write32(smmuBase + (ulong)(SmrBase + 4 * smrIndex), SmrValid | (uint)p.StreamMask << SmrMaskShift | p.StreamId);
        return true;
    }

    /// <summary>Invalidates the stream entry, disables the bank, flushes its TLB and frees the tables.</summary>
    public void TearDown()
    {
        if (_table is null) return;
        Write32(smmuBase + (ulong)(SmrBase + 4 * smrIndex), 0);
        Write32(smmuBase + (ulong)(S2crBase + 4 * smrIndex), S2crTypeFault << S2crTypeShift);
        var cb = BankRegisters.Base;
        Write32(cb + CbSctlr, 0);
        Write64(cb + CbTtbr0, 0);
        Write32(cb + CbTlbiAll, 0);
        _table.Free();
        _table = null;
        Mappings = [];
    }

    private void Write32(PhysAddr at, uint value) => bus.WriteUInt32(BusMaster.Hyp, at, value);

    private void Write64(PhysAddr at, ulong value) => bus.WriteUInt64(BusMaster.Hyp, at, value);
}

using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Kernel.Iommu;

/// <summary>
/// The kernel's arm-smmu driver for one SMMU-500: probes the ID registers, resets the SMMU, allocates
/// context banks and stream-match entries, attaches paging domains to streams and turns context-fault
/// interrupts into domain fault reports. Every register access goes over the bus as
/// <see cref="Master"/> — Linux at EL2 in KVM mode (or whatever master the platform gives it), so a
/// protection unit decides whether this kernel may program the SMMU at all.
/// </summary>
public sealed partial class ArmSmmu
{
    private const uint S2crTypeTranslate = 0;
    private const uint S2crTypeBypass = 1;
    private const uint S2crTypeFault = 2;
    private readonly Lock _gate = new();
    private readonly PageAllocator _tablePages;
    private IommuDomain?[] _banks = [];
    private StreamMatchEntry?[] _smes = [];
    private int _globalPages;

    public ArmSmmu(SystemBus bus, BusMaster master, PhysAddr registers, PageAllocator tablePages, IReadOnlyList<IrqLine> contextInterrupts)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(tablePages);
        ArgumentNullException.ThrowIfNull(contextInterrupts);
        Bus = bus;
        Master = master;
        Registers = registers;
        _tablePages = tablePages;
        for (var i = 0; i < contextInterrupts.Count; i++)
        {
            var bank = i;
            contextInterrupts[i].Raised += _ => HandleContextFault(bank);
        }
    }

    public SystemBus Bus { get; }

    public BusMaster Master { get; }

    public PhysAddr Registers { get; }

    public bool IsProbed { get; private set; }

    /// <summary>Context banks currently given to a domain (leak checks: back to the earlier value once every domain is freed).</summary>
    public int ContextBanksInUse
    {
        get { lock (_gate) return _banks.Count(b => b is not null); }
    }

    /// <summary>Stream-match entries currently routing a stream to a domain.</summary>
    public int StreamMatchEntriesInUse
    {
        get { lock (_gate) return _smes.Count(e => e is not null); }
    }

    public int ContextBanks { get; private set; }

    public int StreamMatchGroups { get; private set; }

    /// <summary>ID2.UBS: the IAS of stage-1 domains (clamped to 48).</summary>
    public int InputAddressBits { get; private set; }

    /// <summary>ID2.IAS: the OAS of stage-1 domains.</summary>
    public int OutputAddressBits { get; private set; }

    /// <summary>disable_bypass: unmatched streams and detached stream entries fault rather than bypass (Linux's default).</summary>
    public bool DisableBypass { get; init; } = true;

    /// <summary>The driver's log lines ("Unhandled context fault: …", "unaligned: …").</summary>
    public event Action<string>? Log;

    /// <summary>
    /// arm_smmu_device_cfg_probe, then (unless <paramref name="reset"/> is false, e.g. when firmware
    /// already owns the global registers) arm_smmu_device_reset. Returns -ENODEV when the registers
    /// cannot be read or describe no stage-1 support.
    /// </summary>
    public Errno Probe(bool reset = true)
    {
        lock (_gate)
        {
            if (Bus.ReadUInt32(Master, Registers + Id0, out var id0) != BusStatus.Ok
                || Bus.ReadUInt32(Master, Registers + Id1, out var id1) != BusStatus.Ok
                || Bus.ReadUInt32(Master, Registers + Id2, out var id2) != BusStatus.Ok)
                return Errno.ENODEV;
            if ((id0 & 1u << 30) == 0 || (id0 & 1u << 27) == 0 || (id2 & 1u << 12) == 0) return Errno.ENODEV;
            StreamMatchGroups = (int)(id0 & 0xFF);
            ContextBanks = (int)(id1 & 0xFF);
            _globalPages = 1 << (int)((id1 >> 28 & 7) + 1);
            InputAddressBits = Math.Min(48, DecodeAddressBits(id2 >> 8 & 0xF));
            OutputAddressBits = Math.Min(48, DecodeAddressBits(id2 & 0xF));
            _banks = new IommuDomain?[ContextBanks];
            _smes = new StreamMatchEntry?[StreamMatchGroups];
            IsProbed = true;
            if (reset) ResetLocked();
            return Errno.None;
        }
    }

    /// <summary>
    /// iommu_paging_domain_alloc: a new stage-1 domain with IAS/OAS from the SMMU. Throws
    /// <see cref="KernelException"/> (-ENOMEM) when no page is left for its root table.
    /// </summary>
    public IommuDomain AllocateDomain()
    {
        if (!IsProbed) throw new KernelException(Errno.ENODEV, "SMMU at " + Registers + " has not been probed");
        var config = new IoPgTableConfig(InputAddressBits, OutputAddressBits, IoPgTableConfig.Granule4KBitmap, coherentWalk: true);
        return new IommuDomain(this, config, _tablePages, line => Log?.Invoke(line));
    }

    internal void WriteBank32(int bank, int register, uint value) => WriteChecked(BankBase(bank) + (ulong)register, value);

    internal void WriteBank64(int bank, int register, ulong value)
    {
        if (Bus.WriteUInt64(Master, BankBase(bank) + (ulong)register, value) != BusStatus.Ok)
            throw new KernelException(Errno.EIO, $"SMMU register write at {BankBase(bank) + (ulong)register} refused for {Master}");
    }

    internal uint ReadBank32(int bank, int register) => ReadChecked(BankBase(bank) + (ulong)register);

    /// <summary>__arm_smmu_tlb_sync: TLBSYNC, then poll TLBSTATUS.SACTIVE (the model completes at once; bounded anyway).</summary>
    internal void SyncBank(int bank)
    {
        WriteBank32(bank, CbTlbSync, 0);
        for (var spin = 0; spin < 1000; spin++)
        {
            if ((ReadBank32(bank, CbTlbStatus) & 1) == 0) return;
        }

        Log?.Invoke($"TLB sync timed out -- SMMU may be deadlocked (cb {bank})");
    }

    private PhysAddr BankBase(int bank) => Registers + (ulong)(_globalPages + bank) * PageSize;

    private PhysAddr Gr1 => Registers + PageSize;

    private void WriteChecked(PhysAddr address, uint value)
    {
        if (Bus.WriteUInt32(Master, address, value) != BusStatus.Ok)
            throw new KernelException(Errno.EIO, $"SMMU register write at {address} refused for {Master}");
    }

    private uint ReadChecked(PhysAddr address)
    {
        if (Bus.ReadUInt32(Master, address, out var value) != BusStatus.Ok)
            throw new KernelException(Errno.EIO, $"SMMU register read at {address} refused for {Master}");
        return value;
    }

    /// <summary>arm_smmu_device_reset: global fault status cleared, every stream entry and bank reset, TLBs flushed, translation on.</summary>
    private void ResetLocked()
    {
        WriteChecked(Registers + SGFsr, ReadChecked(Registers + SGFsr));
        for (var i = 0; i < StreamMatchGroups; i++)
        {
            WriteChecked(Registers + (ulong)(S2crBase + 4 * i), (DisableBypass ? S2crTypeFault : S2crTypeBypass) << S2crTypeShift);
            WriteChecked(Registers + (ulong)(SmrBase + 4 * i), 0);
        }

        for (var cb = 0; cb < ContextBanks; cb++)
        {
            WriteBank32(cb, CbSctlr, 0);
            WriteBank32(cb, CbFsr, FsrFaultBits);
        }

        WriteChecked(Registers + TlbiAllH, 0);
        WriteChecked(Registers + TlbiAllNsnh, 0);
        var scr0 = SCr0Gfre | SCr0Gfie | (DisableBypass ? SCr0UsfCfg : 0);
        WriteChecked(Registers + SCr0, scr0);
        WriteChecked(Registers + STlbGSync, 0);
    }

    private sealed class StreamMatchEntry(ushort id, ushort mask, IommuDomain domain)
    {
        public ushort Id { get; } = id;

        public ushort Mask { get; } = mask;

        public IommuDomain Domain { get; } = domain;

        public int References { get; set; } = 1;
    }
}

using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Soc.Tests.Smmu;

/// <summary>
/// An SMMU on a bus with RAM and hand-written stage-1 tables (48-bit input, start level 0), programmed
/// through its registers the way a driver would, but with no kernel code involved.
/// </summary>
internal sealed class SmmuRig
{
    public const ulong Ram = 0x8000_0000;
    public static readonly PhysAddr Regs = new(0x1500_0000);
    public const ulong Page = 3, Block = 1, Table = 3, Af = 1 << 10, NG = 1 << 11, ApUnpriv = 1 << 6, ApRdonly = 1 << 7, Xn = 3UL << 53;
    public const ulong UserRw = Af | NG | ApUnpriv;
    private ulong _nextTable = Ram + 0x1000;

    public SmmuRig(SmmuOptions? options = null)
    {
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", new PhysAddr(Ram), 8UL << 30);
        Smmu = global::Qtz.Soc.SystemMmu.Smmu.AddTo(Bus, "smmu", Regs, options);
        Smmu.Faulted += Faults.Add;
        Root = NewTable();
    }

    public VirtualClock Clock { get; } = new();

    public SystemBus Bus { get; }

    public global::Qtz.Soc.SystemMmu.Smmu Smmu { get; }

    public ulong Root { get; }

    public List<SmmuFault> Faults { get; } = [];

    public BusMaster Cpu { get; set; } = BusMaster.LinuxEl2;

    public ulong NewTable()
    {
        var t = _nextTable;
        _nextTable += 0x1000;
        return t;
    }

    /// <summary>Writes a leaf for iova at level (1 = 1G block, 2 = 2M block, 3 = 4K page), creating tables on the way.</summary>
    public void MapLeaf(ulong iova, ulong pa, int level, ulong attributes = UserRw)
    {
        var table = Root;
        for (var l = 0; l < level; l++)
        {
            var slot = table + (iova >> Shift(l) & 511) * 8;
            Bus.ReadUInt64(BusMaster.SecureWorld, new PhysAddr(slot), out var pte);
            if (pte == 0)
            {
                pte = NewTable() | Table;
                Bus.WriteUInt64(BusMaster.SecureWorld, new PhysAddr(slot), pte);
            }

            table = pte & 0x0000_FFFF_FFFF_F000UL;
        }

        Bus.WriteUInt64(BusMaster.SecureWorld, new PhysAddr(table + (iova >> Shift(level) & 511) * 8), pa | attributes | (level == 3 ? Page : Block));
    }


    public void WriteLeafRaw(ulong iova, int level, ulong descriptor)
    {
        var table = Root;
        for (var l = 0; l < level; l++)
        {
            Bus.ReadUInt64(BusMaster.SecureWorld, new PhysAddr(table + (iova >> Shift(l) & 511) * 8), out var pte);
            table = pte & 0x0000_FFFF_FFFF_F000UL;
        }

        Bus.WriteUInt64(BusMaster.SecureWorld, new PhysAddr(table + (iova >> Shift(level) & 511) * 8), descriptor);
    }

    /// <summary>Enables translation and routes stream (id, mask) to context bank cb with the given ASID.</summary>
    public void Route(ushort id, ushort mask, int cb, ushort asid = 1, int smr = 0, uint privCfg = 0)
    {
        Global(SCr0, SCr0Gfre | SCr0Gfie | SCr0UsfCfg);
        Gr1(Cba2rBase + 4 * cb, Cba2rVa64);
        Gr1(CbarBase + 4 * cb, CbarTypeS1TransS2Bypass << CbarTypeShift | (uint)cb << CbarIrptNdxShift);
        Bank(cb, CbTcr2, 5 | Tcr2As);
        Bank(cb, CbTcr, 16 | 3u << 12 | 1u << 8 | 1u << 10 | TcrEpd1);
        Bank64(cb, CbTtbr0, Ttbr(new PhysAddr(Root), asid));
        Bank(cb, CbSctlr, SctlrM | SctlrCfie);
        Global(S2crBase + 4 * smr, (uint)cb | privCfg << S2crPrivCfgShift);
        Global(SmrBase + 4 * smr, SmrValid | (uint)mask << SmrMaskShift | id);
    }

    public BusStatus Global(int register, uint value) => Bus.WriteUInt32(Cpu, Regs + (ulong)register, value);

    public uint ReadGlobal(int register)
    {
        Bus.ReadUInt32(Cpu, Regs + (ulong)register, out var v);
        return v;
    }

    public BusStatus Gr1(int register, uint value) => Bus.WriteUInt32(Cpu, Regs + 0x1000 + (ulong)register, value);

    public PhysAddr BankAddress(int cb, int register) => Regs + (ulong)((GlobalPages + cb) * 0x1000 + register);

    public BusStatus Bank(int cb, int register, uint value) => Bus.WriteUInt32(Cpu, BankAddress(cb, register), value);

    public BusStatus Bank64(int cb, int register, ulong value) => Bus.WriteUInt64(Cpu, BankAddress(cb, register), value);

    public uint ReadBank(int cb, int register)
    {
        Bus.ReadUInt32(Cpu, BankAddress(cb, register), out var v);
        return v;
    }

    public ulong ReadBank64(int cb, int register)
    {
        Bus.ReadUInt64(Cpu, BankAddress(cb, register), out var v);
        return v;
    }

    private int GlobalPages => (int)(Smmu.WindowSize / 0x2000);

    private static int Shift(int level) => 12 + 9 * (3 - level);
}

using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Soc.SystemMmu;

/// <summary>
/// One context bank: its GR1 attribute registers (CBAR, CBA2R), its own register page (SCTLR, TCR,
/// TTBR0, MAIR, the fault registers) and its TLB. The SMMU serialises every access to it.
/// </summary>
internal sealed class ContextBank(int index, int tlbPageEntries)
{
    public int Index { get; } = index;

    public SmmuTlb Tlb { get; } = new(tlbPageEntries);

    public uint Cbar { get; set; }

    public uint Cba2r { get; set; }

    public uint FaultingStream { get; set; }

    public uint Sctlr { get; private set; }

    public uint Fsr { get; private set; }

    public ulong Far { get; private set; }

    public uint Fsynr0 { get; private set; }

    private uint _actlr, _tcr, _tcr2, _contextIdr, _mair0, _mair1, _fsynr1;
    private ulong _ttbr0, _ttbr1;

    public bool TranslationEnabled => (Sctlr & SctlrM) != 0;

    public bool FaultInterruptEnabled => (Sctlr & SctlrCfie) != 0;

    public uint CbarType => Cbar >> CbarTypeShift & 3;

    public int InterruptIndex => (int)(Cbar >> CbarIrptNdxShift);

    public byte Vmid => (byte)Cbar;

    /// <summary>TTBR0's ASID: 16 bits when TCR2.AS says so, else 8.</summary>
    public ushort Asid => (ushort)((_ttbr0 >> TtbrAsidShift) & ((_tcr2 & Tcr2As) != 0 ? 0xFFFFUL : 0xFFUL));

    public WalkContext WalkContext(int smmuOutputBits)
    {
        var inputBits = 64 - (int)(_tcr & TcrT0szMask);
        var fourKiBGranule = (_tcr >> TcrTg0Shift & 3) == 0;
        var outputBits = Math.Min(smmuOutputBits, DecodeAddressBits(_tcr2 & 0xF));
        return new WalkContext(new PhysAddr(_ttbr0), Asid, inputBits, outputBits, fourKiBGranule && (_tcr & TcrEpd0) == 0);
    }

    /// <summary>Latches a fault; a second fault before software clears FSR only sets MULTI. Returns whether this fault was latched.</summary>
    public bool Latch(uint fsrBit, ulong iova, uint fsynr0, ushort stream)
    {
        if ((Fsr & FsrFaultBits) != 0)
        {
            Fsr |= FsrMulti;
            return false;
        }

        Fsr = fsrBit | FsrFormatAArch64;
        Far = iova;
        Fsynr0 = fsynr0;
        FaultingStream = stream;
        return true;
    }

    public bool HasFault => (Fsr & FsrFaultBits) != 0;

    public ulong Read(int offset) => offset switch
    {
        CbSctlr => Sctlr,
        CbActlr => _actlr,
        CbTcr2 => _tcr2,
        CbTtbr0 => _ttbr0,
        CbTtbr0 + 4 => _ttbr0 >> 32,
        CbTtbr1 => _ttbr1,
        CbTtbr1 + 4 => _ttbr1 >> 32,
        CbTcr => _tcr,
        CbContextIdr => _contextIdr,
        CbMair0 => _mair0,
        CbMair1 => _mair1,
        CbFsr => Fsr,
        CbFar => Far,
        CbFar + 4 => Far >> 32,
        CbFsynr0 => Fsynr0,
        CbFsynr1 => _fsynr1,
        _ => 0, // TLBSTATUS included: invalidation completes immediately, so SACTIVE is never set
    };

    /// <summary>Applies a register write. Returns what the SMMU must do next.</summary>
    public BankWriteEffect Write(int offset, int width, ulong value)
    {
        var v32 = (uint)value;
        switch (offset)
        {
            case CbSctlr: Sctlr = v32; return BankWriteEffect.ConfigChanged;
            case CbActlr: _actlr = v32; break;
            case CbResume: break; // transactions terminate at once (CFCFG stall is not modelled)
            case CbTcr2: _tcr2 = v32; return BankWriteEffect.ConfigChanged;
            case CbTtbr0: _ttbr0 = Merge(_ttbr0, value, width, high: false); return BankWriteEffect.ConfigChanged;
            case CbTtbr0 + 4: _ttbr0 = Merge(_ttbr0, value, 4, high: true); return BankWriteEffect.ConfigChanged;
            case CbTtbr1: _ttbr1 = Merge(_ttbr1, value, width, high: false); break;
            case CbTtbr1 + 4: _ttbr1 = Merge(_ttbr1, value, 4, high: true); break;
            case CbTcr: _tcr = v32; return BankWriteEffect.ConfigChanged;
            case CbContextIdr: _contextIdr = v32; break;
            case CbMair0: _mair0 = v32; break;
            case CbMair1: _mair1 = v32; break;
            case CbFsr:
                Fsr &= ~v32;
                if ((Fsr & FsrFaultBits) == 0) Fsr = 0;
                return BankWriteEffect.FaultCleared;
            case CbFsynr0: Fsynr0 = v32; break;
            case CbFsynr1: _fsynr1 = v32; break;
            case CbFar: Far = Merge(Far, value, width, high: false); break;
            case CbFar + 4: Far = Merge(Far, value, 4, high: true); break;
            case CbTlbiVa or CbTlbiVal:
                Tlb.InvalidateVa((ushort)(value >> 48), (value & 0xFFF_FFFF_FFFFUL) << 12);
                break;
            case CbTlbiAsid: Tlb.InvalidateAsid((ushort)v32); break;
            case CbTlbiAll: Tlb.InvalidateAll(); break;
            default: break; // TLBSYNC and RAZ/WI registers
        }

        return BankWriteEffect.None;
    }

    private static ulong Merge(ulong old, ulong value, int width, bool high) =>
        width == 8 ? value : high ? (old & 0xFFFF_FFFFUL) | (value << 32) : (old & ~0xFFFF_FFFFUL) | (uint)value;
}

internal enum BankWriteEffect : byte
{
    None,
    ConfigChanged,
    FaultCleared,
}

using Qtz.Soc.Addressing;

namespace Qtz.Soc.SystemMmu;

/// <summary>
/// Register offsets and fields of the SMMU-500 subset we model (spec/iommu.md §A3, from Linux's
/// arm-smmu.h). Offsets are inside a 4 KiB register page: GR0 is page 0, GR1 page 1, context bank n
/// is page (NUMPAGE + n).
/// </summary>
public static class SmmuRegisters
{
    /// <summary>ID1.PAGESIZE = 0: the register pages are the 4 KiB page.</summary>
    public const int PageSize = Paging.PageSize;

    // ---- GR0 ----
    public const int SCr0 = 0x000;
    public const int Id0 = 0x020;
    public const int Id1 = 0x024;
    public const int Id2 = 0x028;
    public const int Id7 = 0x03C;
    public const int SGFar = 0x040;
    public const int SGFsr = 0x048;
    public const int SGFsynr0 = 0x050;
    public const int SGFsynr1 = 0x054;
    public const int SGFsynr2 = 0x058;
    public const int TlbiVmid = 0x064;
    public const int TlbiAllNsnh = 0x068;
    public const int TlbiAllH = 0x06C;
    public const int STlbGSync = 0x070;
    public const int STlbGStatus = 0x074;
    public const int SmrBase = 0x800;
    public const int S2crBase = 0xC00;

    public const uint SCr0ClientPd = 1u << 0;
    public const uint SCr0Gfre = 1u << 1;
    public const uint SCr0Gfie = 1u << 2;
    public const uint SCr0UsfCfg = 1u << 10;

    public const uint SGFsrIcf = 1u << 0;
    public const uint SGFsrUsf = 1u << 1;
    public const uint SGFsrSmcf = 1u << 2;
    public const uint SGFsrUcbf = 1u << 3;
    public const uint SGFsrMulti = 1u << 31;

    public const uint SmrValid = 1u << 31;
    public const int SmrMaskShift = 16;
    public const uint SmrIdMask = 0x7FFF;

    public const int S2crTypeShift = 16;
    public const int S2crPrivCfgShift = 24;

    // ---- GR1 ----
    public const int CbarBase = 0x000;
    public const int CbfrsynraBase = 0x400;
    public const int Cba2rBase = 0x800;

    public const int CbarTypeShift = 16;
    public const int CbarIrptNdxShift = 24;

    /// <summary>CBAR.TYPE 1: stage 1 translation, stage 2 bypass — the only type this model translates.</summary>
    public const uint CbarTypeS1TransS2Bypass = 1;

    public const uint Cba2rVa64 = 1u << 0;

    // ---- context bank ----
    public const int CbSctlr = 0x000;
    public const int CbActlr = 0x004;
    public const int CbResume = 0x008;
    public const int CbTcr2 = 0x010;
    public const int CbTtbr0 = 0x020;
    public const int CbTtbr1 = 0x028;
    public const int CbTcr = 0x030;
    public const int CbContextIdr = 0x034;
    public const int CbMair0 = 0x038;
    public const int CbMair1 = 0x03C;
    public const int CbPar = 0x050;
    public const int CbFsr = 0x058;
    public const int CbFar = 0x060;
    public const int CbFsynr0 = 0x068;
    public const int CbFsynr1 = 0x06C;
    public const int CbTlbiVa = 0x600;
    public const int CbTlbiAsid = 0x610;
    public const int CbTlbiAll = 0x618;
    public const int CbTlbiVal = 0x620;
    public const int CbTlbSync = 0x7F0;
    public const int CbTlbStatus = 0x7F4;

    public const uint SctlrM = 1u << 0;
    public const uint SctlrCfie = 1u << 6;

    public const uint FsrTf = 1u << 1;
    public const uint FsrAff = 1u << 2;
    public const uint FsrPf = 1u << 3;
    public const uint FsrEf = 1u << 4;
    public const uint FsrAsf = 1u << 7;
    public const uint FsrFormatAArch64 = 2u << 9;
    public const uint FsrMulti = 1u << 31;

    /// <summary>Every FSR bit that records a fault (what the IRQ handler tests and clears).</summary>
    public const uint FsrFaultBits = 0x1FE | FsrMulti | (1u << 30);

    public const uint Fsynr0Wnr = 1u << 4;
    public const uint Fsynr0Pnu = 1u << 5;
    public const uint Fsynr0Ind = 1u << 6;
    public const uint Fsynr0Ptwf = 1u << 10;
    public const int Fsynr0S1CbNdxShift = 16;

    public const int TcrT0szMask = 0x3F;
    public const uint TcrEpd0 = 1u << 7;
    public const int TcrIrgn0Shift = 8;
    public const int TcrOrgn0Shift = 10;
    public const int TcrSh0Shift = 12;
    public const int TcrTg0Shift = 14;
    public const uint TcrEpd1 = 1u << 23;

    public const uint Tcr2As = 1u << 4;

    public const int TtbrAsidShift = 48;

    /// <summary>Register value for a context bank's TTBR0: table base and ASID.</summary>
    public static ulong Ttbr(PhysAddr table, ushort asid) => table.Value | (ulong)asid << TtbrAsidShift;

    /// <summary>The AArch64-format TLBIVA/TLBIVAL operand: VA[55:12] in bits [43:0], ASID in [63:48].</summary>
    public static ulong TlbiVaOperand(ulong va, ushort asid) => (va >> 12 & 0xFFF_FFFF_FFFFUL) | (ulong)asid << 48;

    /// <summary>ID2.IAS/OAS/UBS and TCR2.PASIZE encoding of an address size.</summary>
    public static uint EncodeAddressBits(int bits) => bits switch
    {
        32 => 0,
        36 => 1,
        40 => 2,
        42 => 3,
        44 => 4,
        48 => 5,
        52 => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(bits), $"{bits} is not an ARM address size (32, 36, 40, 42, 44, 48, 52)"),
    };

    public static int DecodeAddressBits(uint field) => field switch
    {
        0 => 32,
        1 => 36,
        2 => 40,
        3 => 42,
        4 => 44,
        5 => 48,
        _ => 52,
    };
}

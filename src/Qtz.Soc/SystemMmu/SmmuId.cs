using System.Numerics;

namespace Qtz.Soc.SystemMmu;

/// <summary>
/// The SMMU's identification registers SMMU_IDR0..2 (Linux arm-smmu.h ARM_SMMU_ID0_*, ID1_*, ID2_*):
/// the model encodes its geometry into them once, and every driver that sizes the SMMU (Linux's
/// arm-smmu, the hypervisor) decodes them here.
/// </summary>
public readonly record struct SmmuId(uint Id0, uint Id1, uint Id2)
{
    private const uint Id0S1ts = 1u << 30;
    private const uint Id0Sms = 1u << 27;
    private const uint Id0Cttw = 1u << 14;
    private const int Id0NumSidbShift = 9;
    private const int Id0NumIrptShift = 16;
    private const int Id1NumPageNdxbShift = 28;
    private const uint Id2Ptfs4K = 1u << 12;

    /// <summary>ID0.NUMSMRG: stream match register groups.</summary>
    public int StreamMatchGroups => (int)(Id0 & 0xFF);

    /// <summary>ID0.S1TS and ID0.SMS: stage-1 translation and stream matching, what both drivers require.</summary>
    public bool HasStage1StreamMatching => (Id0 & Id0S1ts) != 0 && (Id0 & Id0Sms) != 0;

    /// <summary>ID1.NUMCB: context banks.</summary>
    public int ContextBanks => (int)(Id1 & 0xFF);

    /// <summary>2^(ID1.NUMPAGENDXB + 1): register pages before the first context bank.</summary>
    public int GlobalPages => 1 << (int)((Id1 >> Id1NumPageNdxbShift & 7) + 1);

    /// <summary>ID2.PTFS_4K: the AArch64 4 KiB granule.</summary>
    public bool Supports4KGranule => (Id2 & Id2Ptfs4K) != 0;

    /// <summary>ID2.IAS, in bits.</summary>
    public int InputAddressBits => SmmuRegisters.DecodeAddressBits(Id2 >> 8 & 0xF);

    /// <summary>ID2.OAS, in bits.</summary>
    public int OutputAddressBits => SmmuRegisters.DecodeAddressBits(Id2 & 0xF);

    /// <summary>The identification of an SMMU-500 with these options (15 stream-id bits, coherent walks).</summary>
    public static SmmuId Of(SmmuOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var id0 = (uint)options.StreamMatchGroups | 15u << Id0NumSidbShift | Id0Cttw | (uint)options.ContextBanks << Id0NumIrptShift | Id0Sms | Id0S1ts;
        var id1 = (uint)options.ContextBanks | (uint)(BitOperations.Log2((uint)options.GlobalPages) - 1) << Id1NumPageNdxbShift;
        var id2 = SmmuRegisters.EncodeAddressBits(options.OutputAddressBits) | SmmuRegisters.EncodeAddressBits(options.OutputAddressBits) << 4
                  | SmmuRegisters.EncodeAddressBits(options.InputAddressBits) << 8 | Id2Ptfs4K;
        return new SmmuId(id0, id1, id2);
    }
}

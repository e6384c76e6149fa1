using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Soc.Tests.Smmu;

public class StreamMatchingTests
{
    private readonly SmmuRig _rig = new();

    [Fact]
    public void Out_of_reset_every_stream_bypasses()
    {
        var t = _rig.Smmu.Translate(0x1234, new Iova(0x8000_1000), AccessKind.Read);
        Assert.Equal(new SmmuTranslation(SmmuStatus.Ok, new PhysAddr(0x8000_1000)), t);
    }

    [Fact]
    public void An_unmatched_stream_faults_globally_when_USFCFG_is_set()
    {
        var raised = 0;
        _rig.Smmu.GlobalInterrupt.Raised += _ => raised++;
        _rig.Global(SCr0, SCr0Gfie | SCr0UsfCfg);
        Assert.Equal(SmmuStatus.StreamFault, _rig.Smmu.Translate(0x77, new Iova(0x5000), AccessKind.Write).Status);
        Assert.Equal(SGFsrUsf, _rig.ReadGlobal(SGFsr));
        Assert.Equal(0x77u, _rig.ReadGlobal(SGFsynr1));
        Assert.Equal(0x5000u, _rig.ReadGlobal(SGFar));
        Assert.Equal(Fsynr0Wnr, _rig.ReadGlobal(SGFsynr0));
        Assert.Equal(1, raised);
        var fault = Assert.Single(_rig.Faults);
        Assert.Equal(-1, fault.ContextBank);
    }

    [Fact]
    public void Clearing_sGFSR_lowers_the_global_interrupt()
    {
        _rig.Global(SCr0, SCr0Gfie | SCr0UsfCfg);
        _rig.Smmu.Translate(0x77, new Iova(0), AccessKind.Read);
        Assert.True(_rig.Smmu.GlobalInterrupt.IsAsserted);
        _rig.Global(SGFsr, SGFsrUsf);
        Assert.False(_rig.Smmu.GlobalInterrupt.IsAsserted);
        Assert.Equal(0u, _rig.ReadGlobal(SGFsr));
    }

    [Fact]
    public void An_unmatched_stream_bypasses_when_USFCFG_is_clear()
    {
        _rig.Global(SCr0, 0);
        Assert.Equal(new PhysAddr(0x9000), _rig.Smmu.Translate(0x77, new Iova(0x9000), AccessKind.Read).Address);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(17, true)]
    [InlineData(33, true)]
    [InlineData(49, true)]
    [InlineData(2, false)]
    [InlineData(65, false)]
    public void An_SMR_mask_makes_its_bits_dont_care(ushort sid, bool matches)
    {
        _rig.MapLeaf(0, 0x8010_0000, 3);
        _rig.Route(1, 0x30, cb: 0);
        var status = _rig.Smmu.Translate(sid, new Iova(0), AccessKind.Read).Status;
        Assert.Equal(matches ? SmmuStatus.Ok : SmmuStatus.StreamFault, status);
    }

    [Fact]
    public void Two_matching_SMRs_are_a_stream_match_conflict()
    {
        _rig.Route(0x10, 0, cb: 0, smr: 0);
        _rig.Route(0x10, 0xF, cb: 1, smr: 1);
        Assert.Equal(SmmuStatus.StreamFault, _rig.Smmu.Translate(0x10, new Iova(0), AccessKind.Read).Status);
        Assert.Equal(SGFsrSmcf, _rig.ReadGlobal(SGFsr));
    }

    [Theory]
    [InlineData(1u, SmmuStatus.Ok)]
    [InlineData(2u, SmmuStatus.StreamFault)]
    public void S2CR_type_bypass_or_fault_overrides_translation(uint type, SmmuStatus expected)
    {
        _rig.Route(0x20, 0, cb: 0);
        _rig.Global(S2crBase, type << S2crTypeShift);
        var t = _rig.Smmu.Translate(0x20, new Iova(0x4000), AccessKind.Read);
        Assert.Equal(expected, t.Status);
        if (expected == SmmuStatus.Ok) Assert.Equal(new PhysAddr(0x4000), t.Address);
    }

    [Fact]
    public void A_context_bank_with_translation_off_passes_addresses_through()
    {
        _rig.Route(0x20, 0, cb: 0);
        _rig.Bank(0, CbSctlr, 0);
        Assert.Equal(new PhysAddr(0x4000), _rig.Smmu.Translate(0x20, new Iova(0x4000), AccessKind.Read).Address);
    }

    [Fact]
    public void A_stage_2_context_bank_type_is_an_unimplemented_context_fault()
    {
        _rig.Route(0x20, 0, cb: 0);
        _rig.Gr1(CbarBase, 0); // TYPE 0: stage 2 only, which this SMMU does not implement
        Assert.Equal(SmmuStatus.StreamFault, _rig.Smmu.Translate(0x20, new Iova(0), AccessKind.Read).Status);
        Assert.Equal(SGFsrUcbf, _rig.ReadGlobal(SGFsr));
    }

    [Fact]
    public void The_id_registers_describe_the_instance()
    {
        var rig = new SmmuRig(new SmmuOptions { StreamMatchGroups = 16, ContextBanks = 8, OutputAddressBits = 36 });
        var id0 = rig.ReadGlobal(Id0);
        Assert.Equal(16u, id0 & 0xFF);
        Assert.NotEqual(0u, id0 & 1u << 27); // stream matching
        Assert.NotEqual(0u, id0 & 1u << 30); // stage 1
        Assert.Equal(8u, rig.ReadGlobal(Id1) & 0xFF);
        Assert.Equal(1u, rig.ReadGlobal(Id2) & 0xF); // 36 bits
        Assert.Equal(16UL * 4096, rig.Smmu.WindowSize); // NUMPAGE = 8 global pages, then 8 context-bank pages
    }
}

using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Soc.Tests.Smmu;

/// <summary>The TLB is real: a changed descriptor is not seen until the matching TLBI.</summary>
public class SmmuTlbTests
{
    private const ushort Sid = 0x1800;
    private const ushort Asid = 7;
    private readonly SmmuRig _rig = new();

    public SmmuTlbTests() => _rig.Route(Sid, 0, cb: 0, asid: Asid);

    [Fact]
    public void A_cleared_page_still_translates_until_TLBIVA()
    {
        _rig.MapLeaf(0x5000, 0x8040_0000, 3);
        Assert.True(Read(0x5000).IsOk);
        _rig.WriteLeafRaw(0x5000, 3, 0);
        Assert.Equal(new PhysAddr(0x8040_0000), Read(0x5000).Address); // stale, as on hardware

        _rig.Bank64(0, CbTlbiVa, TlbiVaOperand(0x5000, Asid));
        _rig.Bank(0, CbTlbSync, 0);
        Assert.Equal(0u, _rig.ReadBank(0, CbTlbStatus));
        Assert.Equal(SmmuStatus.TranslationFault, Read(0x5000).Status);
    }

    [Fact]
    public void TLBIVA_with_another_ASID_leaves_the_entry()
    {
        _rig.MapLeaf(0x5000, 0x8040_0000, 3);
        Read(0x5000);
        _rig.WriteLeafRaw(0x5000, 3, 0);
        _rig.Bank64(0, CbTlbiVa, TlbiVaOperand(0x5000, Asid + 1));
        Assert.True(Read(0x5000).IsOk);
    }

    [Fact]
    public void TLBIVA_at_a_block_address_drops_the_whole_block()
    {
        _rig.MapLeaf(0x20_0000, 0x8060_0000, 2);
        Assert.True(Read(0x3F_F000).IsOk);
        _rig.WriteLeafRaw(0x20_0000, 2, 0);
        _rig.Bank64(0, CbTlbiVal, TlbiVaOperand(0x20_0000, Asid));
        Assert.Equal(SmmuStatus.TranslationFault, Read(0x3F_F000).Status);
    }

    [Theory]
    [InlineData(CbTlbiAsid)]
    [InlineData(CbTlbiAll)]
    public void TLBIASID_and_TLBIALL_drop_every_entry_of_the_context(int register)
    {
        for (var i = 0UL; i < 4; i++) _rig.MapLeaf(0x1000 * (i + 1), 0x8040_0000 + 0x1000 * i, 3);
        for (var i = 0UL; i < 4; i++) Read(0x1000 * (i + 1));
        Assert.Equal(4, _rig.Smmu.TlbEntries(0));
        _rig.Bank(0, register, Asid);
        Assert.Equal(0, _rig.Smmu.TlbEntries(0));
    }

    [Fact]
    public void A_new_TTBR_with_another_ASID_does_not_hit_old_entries()
    {
        _rig.MapLeaf(0x5000, 0x8040_0000, 3);
        Read(0x5000);
        var emptyRoot = _rig.NewTable();
        _rig.Bank64(0, CbTtbr0, Ttbr(new PhysAddr(emptyRoot), Asid + 1));
        Assert.Equal(SmmuStatus.TranslationFault, Read(0x5000).Status);
    }

    [Fact]
    public void Faults_are_not_cached()
    {
        Assert.Equal(SmmuStatus.TranslationFault, Read(0x9000).Status);
        _rig.MapLeaf(0x9000, 0x8040_0000, 3);
        Assert.True(Read(0x9000).IsOk);
    }

    private SmmuTranslation Read(ulong iova) => _rig.Smmu.Translate(Sid, new Iova(iova), AccessKind.Read);
}

using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Soc.Tests.Smmu;

public class TranslationTests
{
    private const ushort Sid = 0x1800;
    private readonly SmmuRig _rig = new();

    public TranslationTests() => _rig.Route(Sid, 0, cb: 3);

    [Theory]
    [InlineData(3, 0x0000_1000UL, 0x8123_4000UL)]
    [InlineData(2, 0x0040_0000UL, 0x8060_0000UL)]
    [InlineData(1, 0x8000_0000UL, 0x1_4000_0000UL)]
    public void Pages_and_blocks_translate_with_the_offset_kept(int level, ulong iova, ulong pa)
    {
        _rig.MapLeaf(iova, pa, level);
        var offset = level == 3 ? 0xABCUL : 0x1_2ABCUL;
        var t = _rig.Smmu.Translate(Sid, new Iova(iova + offset), AccessKind.Read);
        Assert.Equal(new SmmuTranslation(SmmuStatus.Ok, new PhysAddr(pa + offset)), t);
    }

    [Fact]
    public void A_missing_descriptor_latches_TF_FAR_FSYNR0_and_raises_the_bank_interrupt()
    {
        var irq = _rig.Smmu.ContextInterrupts[3];
        Assert.Equal(SmmuStatus.TranslationFault, _rig.Smmu.Translate(Sid, new Iova(0x7_0000_1234), AccessKind.Write).Status);
        Assert.Equal(FsrTf | FsrFormatAArch64, _rig.ReadBank(3, CbFsr));
        Assert.Equal(0x7_0000_1234UL, _rig.ReadBank64(3, CbFar));
        var fsynr0 = _rig.ReadBank(3, CbFsynr0);
        Assert.NotEqual(0u, fsynr0 & Fsynr0Wnr);
        Assert.Equal(3u, fsynr0 >> 16 & 0xFF);
        Assert.Equal(Sid, _rig.Bus.ReadUInt32(_rig.Cpu, SmmuRig.Regs + 0x1000 + CbfrsynraBase + 4 * 3, out var sid) == BusStatus.Ok ? (ushort)sid : 0);
        Assert.True(irq.IsAsserted);
        var fault = Assert.Single(_rig.Faults);
        Assert.Equal((3, SmmuStatus.TranslationFault), (fault.ContextBank, fault.Status));
    }

    [Fact]
    public void FSR_is_write_one_to_clear_and_clearing_it_lowers_the_interrupt()
    {
        _rig.Smmu.Translate(Sid, new Iova(0x1000), AccessKind.Read);
        _rig.Bank(3, CbFsr, FsrTf);
        Assert.Equal(0u, _rig.ReadBank(3, CbFsr));
        Assert.False(_rig.Smmu.ContextInterrupts[3].IsAsserted);
    }

    [Fact]
    public void A_second_fault_before_clearing_only_sets_MULTI_and_keeps_the_first_FAR()
    {
        _rig.Smmu.Translate(Sid, new Iova(0x1000), AccessKind.Read);
        _rig.Smmu.Translate(Sid, new Iova(0x2000), AccessKind.Read);
        Assert.Equal(FsrTf | FsrFormatAArch64 | FsrMulti, _rig.ReadBank(3, CbFsr));
        Assert.Equal(0x1000UL, _rig.ReadBank64(3, CbFar));
        Assert.Equal(1, _rig.Smmu.ContextInterrupts[3].RaiseCount);
    }

    [Fact]
    public void No_interrupt_without_CFIE()
    {
        _rig.Bank(3, CbSctlr, SctlrM);
        _rig.Smmu.Translate(Sid, new Iova(0x1000), AccessKind.Read);
        Assert.False(_rig.Smmu.ContextInterrupts[3].IsAsserted);
        Assert.Equal(FsrTf | FsrFormatAArch64, _rig.ReadBank(3, CbFsr));
    }

    [Fact]
    public void An_iova_beyond_the_context_input_size_is_a_translation_fault()
    {
        Assert.Equal(SmmuStatus.TranslationFault, _rig.Smmu.Translate(Sid, new Iova(1UL << 48), AccessKind.Read).Status);
    }

    [Theory]
    [InlineData(SmmuRig.UserRw | SmmuRig.ApRdonly, AccessKind.Write, false)]
    [InlineData(SmmuRig.UserRw | SmmuRig.Xn, AccessKind.Execute, false)]
    [InlineData(SmmuRig.Af | SmmuRig.NG, AccessKind.Read, false)]       // privileged-only
    [InlineData(SmmuRig.Af | SmmuRig.NG | SmmuRig.ApRdonly, AccessKind.Write, true)]
    [InlineData(SmmuRig.Af | SmmuRig.NG | SmmuRig.Xn, AccessKind.Execute, true)]
    public void Forbidden_accesses_latch_a_permission_fault(ulong attributes, AccessKind kind, bool privileged)
    {
        _rig.MapLeaf(0x3000, 0x8020_0000, 3, attributes);
        Assert.Equal(SmmuStatus.PermissionFault, _rig.Smmu.Translate(Sid, new Iova(0x3010), kind, privileged).Status);
        Assert.Equal(FsrPf | FsrFormatAArch64, _rig.ReadBank(3, CbFsr));
        Assert.Equal(0x3010UL, _rig.ReadBank64(3, CbFar));
        Assert.Equal(kind == AccessKind.Execute, (_rig.ReadBank(3, CbFsynr0) & Fsynr0Ind) != 0);
    }

    [Theory]
    [InlineData(SmmuRig.UserRw, AccessKind.Write, false)]
    [InlineData(SmmuRig.UserRw | SmmuRig.ApRdonly, AccessKind.Read, false)]
    [InlineData(SmmuRig.UserRw, AccessKind.Execute, false)]
    [InlineData(SmmuRig.Af | SmmuRig.NG, AccessKind.Write, true)]
    public void Allowed_accesses_translate(ulong attributes, AccessKind kind, bool privileged)
    {
        _rig.MapLeaf(0x3000, 0x8020_0000, 3, attributes);
        Assert.Equal(SmmuStatus.Ok, _rig.Smmu.Translate(Sid, new Iova(0x3010), kind, privileged).Status);
    }

    [Fact]
    public void S2CR_PRIVCFG_privileged_lets_an_unprivileged_device_use_a_privileged_mapping()
    {
        _rig.Route(Sid, 0, cb: 3, privCfg: 3);
        _rig.MapLeaf(0x3000, 0x8020_0000, 3, SmmuRig.Af | SmmuRig.NG);
        Assert.Equal(SmmuStatus.Ok, _rig.Smmu.Translate(Sid, new Iova(0x3000), AccessKind.Read).Status);
    }

    [Fact]
    public void A_clear_access_flag_is_an_access_flag_fault()
    {
        _rig.MapLeaf(0x3000, 0x8020_0000, 3, SmmuRig.ApUnpriv | SmmuRig.NG);
        Assert.Equal(SmmuStatus.AccessFlagFault, _rig.Smmu.Translate(Sid, new Iova(0x3000), AccessKind.Read).Status);
        Assert.Equal(FsrAff | FsrFormatAArch64, _rig.ReadBank(3, CbFsr));
    }

    [Fact]
    public void An_output_address_beyond_the_context_PA_size_is_an_address_size_fault()
    {
        _rig.Bank(3, CbTcr2, 1 | Tcr2As); // PASIZE 36 bits
        _rig.MapLeaf(0x3000, 1UL << 40, 3);
        Assert.Equal(SmmuStatus.AddressSizeFault, _rig.Smmu.Translate(Sid, new Iova(0x3000), AccessKind.Read).Status);
        Assert.Equal(FsrAsf | FsrFormatAArch64, _rig.ReadBank(3, CbFsr));
    }

    [Fact]
    public void A_walker_the_protection_unit_denies_gets_an_external_fault()
    {
        _rig.MapLeaf(0x3000, 0x8020_0000, 3);
        var tables = new PhysRange(new PhysAddr(SmmuRig.Ram), 0x10_0000);
        _rig.Bus.Protection.Set(BusMaster.SecureWorld, ProtectionRegion.Exclusive("pt", tables, AccessPermissions.All, Vmid.Tz));
        Assert.Equal(SmmuStatus.WalkExternalFault, _rig.Smmu.Translate(Sid, new Iova(0x3000), AccessKind.Read).Status);
        Assert.Equal(FsrEf | FsrFormatAArch64, _rig.ReadBank(3, CbFsr));
        Assert.NotEqual(0u, _rig.ReadBank(3, CbFsynr0) & Fsynr0Ptwf);
    }

    [Fact]
    public void A_smaller_input_size_starts_the_walk_at_level_1()
    {
        // T0SZ = 32: IAS 32, so the root is a level-1 table with 4 entries
        var root = _rig.NewTable();
        var l2 = _rig.NewTable();
        var l3 = _rig.NewTable();
        _rig.Bus.WriteUInt64(BusMaster.SecureWorld, new PhysAddr(root + 8 * 2), l2 | 3);
        _rig.Bus.WriteUInt64(BusMaster.SecureWorld, new PhysAddr(l2 + 8 * 1), l3 | 3);
        _rig.Bus.WriteUInt64(BusMaster.SecureWorld, new PhysAddr(l3 + 8 * 5), 0x8030_0000UL | SmmuRig.UserRw | 3);
        _rig.Bank(3, CbTcr, 32 | TcrEpd1);
        _rig.Bank64(3, CbTtbr0, Ttbr(new PhysAddr(root), 1));
        var iova = (2UL << 30) | (1UL << 21) | (5UL << 12) | 0x10;
        Assert.Equal(new PhysAddr(0x8030_0010), _rig.Smmu.Translate(Sid, new Iova(iova), AccessKind.Read).Address);
        Assert.Equal(SmmuStatus.TranslationFault, _rig.Smmu.Translate(Sid, new Iova(1UL << 32), AccessKind.Read).Status);
    }
}

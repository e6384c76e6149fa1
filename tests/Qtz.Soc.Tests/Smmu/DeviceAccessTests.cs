using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Soc.Tests.Smmu;

/// <summary>Device transactions through the SMMU onto the bus.</summary>
public class DeviceAccessTests
{
    private const ushort Sid = 0x1800;
    private readonly SmmuRig _rig = new();
    private readonly SmmuStreamPort _dsp;

    public DeviceAccessTests()
    {
        _rig.Route(Sid, 0, cb: 0);
        _rig.MapLeaf(0x1000, 0x9000_0000, 3);
        _rig.MapLeaf(0x2000, 0x9000_8000, 3, SmmuRig.UserRw | SmmuRig.ApRdonly);
        _dsp = _rig.Smmu.Port(Sid, Vmid.AdspQ6);
    }

    [Fact]
    public void A_write_lands_at_the_translated_physical_address()
    {
        Assert.True(_dsp.Write(new Iova(0x1010), [1, 2, 3, 4]).IsOk);
        _rig.Bus.ReadUInt32(BusMaster.SecureWorld, new PhysAddr(0x9000_0010), out var v);
        Assert.Equal(0x04030201u, v);
    }

    [Fact]
    public void An_access_crossing_a_page_is_translated_page_by_page()
    {
        var data = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        _rig.Bus.Write(BusMaster.SecureWorld, new PhysAddr(0x9000_0FF0), data.AsSpan(0, 16));
        _rig.Bus.Write(BusMaster.SecureWorld, new PhysAddr(0x9000_8000), data.AsSpan(16));
        var read = new byte[32];
        Assert.True(_dsp.Read(new Iova(0x1FF0), read).IsOk);
        Assert.Equal(data, read);
    }

    [Fact]
    public void A_fault_on_any_page_moves_no_data()
    {
        var destination = new byte[0x20];
        Array.Fill(destination, (byte)0xEE);
        var result = _dsp.Read(new Iova(0x2FF0), destination);
        Assert.Equal(SmmuStatus.TranslationFault, result.Status);
        Assert.Equal(new Iova(0x3000), result.Iova);
        Assert.All(destination, b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void A_write_to_a_read_only_page_is_a_permission_fault_and_memory_is_untouched()
    {
        Assert.Equal(SmmuStatus.PermissionFault, _dsp.Write(new Iova(0x2000), [9]).Status);
        _rig.Bus.ReadUInt32(BusMaster.SecureWorld, new PhysAddr(0x9000_8000), out var v);
        Assert.Equal(0u, v);
        Assert.Equal(FsrPf | FsrFormatAArch64, _rig.ReadBank(0, CbFsr));
    }

    [Fact]
    public void The_bus_sees_the_device_master_and_its_protection_applies()
    {
        var region = new PhysRange(new PhysAddr(0x9000_0000), 0x1000);
        _rig.Bus.Protection.Set(BusMaster.Hyp, ProtectionRegion.Exclusive("carveout", region, AccessPermissions.ReadWrite, Vmid.Hlos));
        var destination = new byte[4];
        var result = _dsp.Read(new Iova(0x1000), destination);
        Assert.Equal(SmmuStatus.BusError, result.Status);
        Assert.Equal(BusStatus.Denied, result.Bus);
        var fault = _rig.Bus.RecentFaults[^1];
        Assert.Equal(BusMaster.Dsp(Sid, Vmid.AdspQ6), fault.Master);
        Assert.Equal(new PhysAddr(0x9000_0000), fault.Address);
    }

    [Fact]
    public void Who_may_program_a_context_bank_is_up_to_the_protection_unit()
    {
        var bankPage = new PhysRange(_rig.BankAddress(0, 0), 0x1000);
        _rig.Bus.Protection.Set(BusMaster.Hyp, ProtectionRegion.Exclusive("cb0", bankPage, AccessPermissions.ReadWrite, Vmid.Tz));
        Assert.Equal(BusStatus.Denied, _rig.Bank64(0, CbTtbr0, 0));
        Assert.True(_rig.Smmu.Translate(Sid, new Iova(0x1000), AccessKind.Read).IsOk); // TTBR0 unchanged
        _rig.Cpu = BusMaster.SecureWorld;
        Assert.Equal(BusStatus.Ok, _rig.Bank(0, CbSctlr, 0));
    }

    [Fact]
    public void Registers_answer_only_32_and_64_bit_accesses()
    {
        Assert.Equal(BusStatus.DecodeError, _rig.Bus.Write(_rig.Cpu, SmmuRig.Regs, [1]));
    }
}

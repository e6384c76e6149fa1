using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Tests.Iommu;

/// <summary>Attaching domains to streams through the SMMU's registers, TLB maintenance and fault reports.</summary>
public class DomainAttachTests
{
    private const ushort Sid = IommuTestBoard.AdspStream;
    private readonly IommuTestBoard _board = new();

    [Fact]
    public void Probe_reads_the_geometry_from_the_id_registers()
    {
        Assert.Equal(32, _board.Driver.ContextBanks);
        Assert.Equal(64, _board.Driver.StreamMatchGroups);
        Assert.Equal(48, _board.Driver.InputAddressBits);
        Assert.Equal(48, _board.Driver.OutputAddressBits);
    }

    [Fact]
    public void An_attached_stream_translates_what_the_domain_maps()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(0x10_0000), IommuTestBoard.Data(0x20_0000), 0x1000, IommuProt.ReadWrite).ThrowIfError("map");
        var t = _board.Smmu.Translate(Sid, new Iova(0x10_0123), AccessKind.Read);
        Assert.Equal(SmmuStatus.Ok, t.Status);
        Assert.Equal(IommuTestBoard.Data(0x20_0123), t.Address);
    }

    [Fact]
    public void A_masked_specifier_routes_every_matching_stream()
    {
        var domain = _board.Driver.AllocateDomain();
        Assert.Equal(Errno.None, _board.Driver.Attach(domain, 1, 0x30));
        domain.Map(new Iova(0), IommuTestBoard.Data(0), 0x1000, IommuProt.Read).ThrowIfError("map");
        foreach (ushort sid in new ushort[] { 1, 17, 33, 49 })
            Assert.Equal(SmmuStatus.Ok, _board.Smmu.Translate(sid, new Iova(0), AccessKind.Read).Status);
        Assert.Equal(SmmuStatus.StreamFault, _board.Smmu.Translate(2, new Iova(0), AccessKind.Read).Status);
    }

    [Fact]
    public void A_contained_specifier_reuses_the_smr_and_a_partial_overlap_is_EINVAL()
    {
        var domain = _board.Driver.AllocateDomain();
        Assert.Equal(Errno.None, _board.Driver.Attach(domain, 0x10, 0xF));
        Assert.Equal(Errno.None, _board.Driver.Attach(domain, 0x13));
        Assert.Equal(Errno.EINVAL, _board.Driver.Attach(domain, 0x18, 0x30));
        Assert.Equal(Errno.EBUSY, _board.Driver.Attach(_board.Driver.AllocateDomain(), 0x11));
    }

    [Fact]
    public void Streams_without_a_domain_fault_after_reset()
    {
        Assert.Equal(SmmuStatus.StreamFault, _board.Smmu.Translate(0x42, new Iova(0), AccessKind.Read).Status);
        Assert.Equal(SmmuRegisters.SGFsrUsf, _board.ReadGlobal(SmmuRegisters.SGFsr));
    }

    [Fact]
    public void Unmap_invalidates_the_tlb_so_the_device_faults_afterwards()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(0x20_0000), IommuTestBoard.Data(0), 0x20_0000, IommuProt.ReadWrite).ThrowIfError("map");
        Assert.True(_board.Smmu.Translate(Sid, new Iova(0x30_0000), AccessKind.Read).IsOk); // warms the TLB
        Assert.Equal(0x20_0000UL, domain.Unmap(new Iova(0x20_0000), 0x20_0000));
        Assert.Equal(SmmuStatus.TranslationFault, _board.Smmu.Translate(Sid, new Iova(0x30_0000), AccessKind.Read).Status);
    }

    [Fact]
    public void A_context_fault_reaches_the_domain_handler_with_iova_and_flags()
    {
        var domain = _board.AttachedDomain();
        var reports = new List<(Iova Iova, IommuFaultFlags Flags)>();
        domain.SetFaultHandler((d, iova, flags) =>
        {
            reports.Add((iova, flags));
            return Errno.None;
        });
        domain.Map(new Iova(0x1000), IommuTestBoard.Data(0), 0x1000, IommuProt.Read).ThrowIfError("map");

        _board.Smmu.Write(Sid, Vmid.AdspQ6, new Iova(0x1010), [1, 2, 3, 4]);
        _board.Smmu.Read(Sid, Vmid.AdspQ6, new Iova(0x9000), new byte[4]);

        Assert.Equal([(new Iova(0x1010), IommuFaultFlags.Write), (new Iova(0x9000), IommuFaultFlags.Read)], reports);
        Assert.Equal(0u, _board.ReadBank(domain.ContextBank, SmmuRegisters.CbFsr)); // the handler path cleared FSR
        Assert.False(_board.Smmu.ContextInterrupts[domain.ContextBank].IsAsserted);
        Assert.DoesNotContain(_board.Log, l => l.StartsWith("Unhandled"));
    }

    [Fact]
    public void A_fault_without_a_handler_is_logged_as_unhandled()
    {
        var domain = _board.AttachedDomain();
        _board.Smmu.Read(Sid, Vmid.AdspQ6, new Iova(0x7000), new byte[4]);
        var line = Assert.Single(_board.Log, l => l.StartsWith("Unhandled context fault"));
        Assert.Contains("iova=0x7000", line);
        Assert.Contains($"cbfrsynra=0x{Sid:x}", line);
        Assert.Contains($"cb={domain.ContextBank}", line);
    }

    [Fact]
    public void Each_domain_gets_its_own_context_bank_and_asid()
    {
        var a = _board.AttachedDomain(0x1800);
        var b = _board.AttachedDomain(0x1801);
        a.Map(new Iova(0), IommuTestBoard.Data(0), 0x1000, IommuProt.Read).ThrowIfError("map");
        b.Map(new Iova(0), IommuTestBoard.Data(0x1000), 0x1000, IommuProt.Read).ThrowIfError("map");
        Assert.NotEqual(a.ContextBank, b.ContextBank);
        Assert.Equal(IommuTestBoard.Data(0), _board.Smmu.Translate(0x1800, new Iova(0), AccessKind.Read).Address);
        Assert.Equal(IommuTestBoard.Data(0x1000), _board.Smmu.Translate(0x1801, new Iova(0), AccessKind.Read).Address);
    }

    [Fact]
    public void Freeing_a_domain_disables_its_bank_and_its_streams_fault()
    {
        var domain = _board.AttachedDomain();
        domain.Map(new Iova(0), IommuTestBoard.Data(0), 0x1000, IommuProt.Read).ThrowIfError("map");
        var cb = domain.ContextBank;
        domain.Free();
        Assert.Equal(0u, _board.ReadBank(cb, SmmuRegisters.CbSctlr));
        Assert.Equal(SmmuStatus.StreamFault, _board.Smmu.Translate(Sid, new Iova(0), AccessKind.Read).Status);
        Assert.Equal(0, _board.Pages.AllocatedPages);
    }

    [Fact]
    public void A_kernel_the_protection_unit_keeps_off_the_smmu_cannot_attach()
    {
        var registers = new PhysRange(IommuTestBoard.SmmuBase, _board.Smmu.WindowSize);
        _board.Bus.Protection.Set(BusMaster.Hyp, ProtectionRegion.Exclusive("smmu-regs", registers, AccessPermissions.ReadWrite, Vmid.Tz));
        var domain = _board.Driver.AllocateDomain();
        var error = Assert.Throws<KernelException>(() => _board.Driver.Attach(domain, Sid));
        Assert.Equal(Errno.EIO, error.Errno);
        Assert.Contains(_board.Bus.RecentFaults, f => f.Status == BusStatus.Denied && f.Master == BusMaster.LinuxEl2);
    }
}

using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Bus;

public class SystemBusTests
{
    private static readonly PhysAddr Ddr = new(0x8000_0000);
    private readonly SystemBus _bus = new(new VirtualClock());

    public SystemBusTests() => _bus.AddRam("ddr", Ddr, 64UL << 30);

    [Fact]
    public void A_64_GiB_space_costs_only_the_pages_touched()
    {
        Assert.Equal(0UL, _bus.TouchedRamBytes);
        _bus.WriteUInt32(BusMaster.LinuxEl1, Ddr, 1);
        _bus.WriteUInt32(BusMaster.LinuxEl1, Ddr + 0x10, 2); // same page
        _bus.WriteUInt32(BusMaster.LinuxEl1, Ddr + (63UL << 30), 3);
        _bus.Write(BusMaster.LinuxEl1, Ddr + (20UL << 30) + 0xFFE, [1, 2, 3, 4]); // straddles two pages
        Assert.Equal(4UL * 4096, _bus.TouchedRamBytes);
    }

    [Fact]
    public void Reading_untouched_memory_returns_zeros_and_allocates_nothing()
    {
        var buffer = new byte[8192];
        Assert.Equal(BusStatus.Ok, _bus.Read(BusMaster.LinuxEl1, Ddr + (30UL << 30), buffer));
        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Equal(0UL, _bus.TouchedRamBytes);
    }

    [Fact]
    public void Zero_filling_whole_pages_gives_them_back()
    {
        _bus.Fill(BusMaster.LinuxEl1, Ddr, 3 * 4096, 0xAA);
        Assert.Equal(3UL * 4096, _bus.TouchedRamBytes);
        _bus.Fill(BusMaster.LinuxEl1, Ddr, 3 * 4096, 0);
        Assert.Equal(0UL, _bus.TouchedRamBytes);
    }

    [Fact]
    public void A_denied_read_gets_a_bus_fault_and_no_data()
    {
        _bus.WriteUInt64(BusMaster.SecureWorld, Ddr, 0x1122334455667788);
        Lock(new PhysRange(Ddr, 0x1000), AccessPermissions.ReadWrite, Vmid.Tz);
        var faults = new List<BusFault>();
        _bus.FaultRaised += faults.Add;
        var destination = new byte[8];
        Array.Fill(destination, (byte)0xEE);

        Assert.Equal(BusStatus.Denied, _bus.Read(BusMaster.LinuxEl1, Ddr, destination));
        Assert.All(destination, b => Assert.Equal(0xEE, b));
        var fault = Assert.Single(faults);
        Assert.Equal((BusMaster.LinuxEl1, Ddr, AccessKind.Read, BusStatus.Denied, "secure"), (fault.Master, fault.Address, fault.Kind, fault.Status, fault.Region));
    }

    [Fact]
    public void A_denied_write_leaves_memory_untouched()
    {
        Lock(new PhysRange(Ddr, 0x1000), AccessPermissions.Read, Vmid.Hlos);
        Assert.Equal(BusStatus.Denied, _bus.WriteUInt32(BusMaster.LinuxEl2, Ddr + 0x20, 0xDEAD));
        Assert.Equal(BusStatus.Ok, _bus.ReadUInt32(BusMaster.LinuxEl2, Ddr + 0x20, out var v));
        Assert.Equal(0u, v);
        Assert.Equal(1, _bus.FaultCount);
    }

    [Fact]
    public void An_access_partly_inside_a_locked_region_is_denied_as_a_whole()
    {
        Lock(new PhysRange(Ddr + 0x1000, 0x1000), AccessPermissions.None, Vmid.Hlos);
        Assert.Equal(BusStatus.Denied, _bus.Write(BusMaster.LinuxEl1, Ddr + 0xFFC, new byte[8]));
    }

    [Fact]
    public void Per_vmid_permissions_decide_per_master()
    {
        var region = new ProtectionRegion("carveout", new PhysRange(Ddr, 0x1000), new Dictionary<Vmid, AccessPermissions>
        {
            [Vmid.AdspQ6] = AccessPermissions.All,
            [Vmid.Hlos] = AccessPermissions.Read,
        });
        Assert.True(_bus.Protection.Set(BusMaster.SecureWorld, region));
        Assert.Equal(BusStatus.Ok, _bus.WriteUInt32(BusMaster.Dsp(0x1800, Vmid.AdspQ6), Ddr, 1));
        Assert.Equal(BusStatus.Ok, _bus.ReadUInt32(BusMaster.LinuxEl1, Ddr, out _));
        Assert.Equal(BusStatus.Denied, _bus.WriteUInt32(BusMaster.LinuxEl1, Ddr, 2));
        Assert.Equal(BusStatus.Denied, _bus.Read(BusMaster.LinuxEl1, Ddr, new byte[4], AccessKind.Execute));
        Assert.Equal(BusStatus.Ok, _bus.WriteUInt32(BusMaster.SecureWorld, Ddr, 3)); // TZ is never restricted
    }

    [Fact]
    public void Only_the_secure_world_and_the_hypervisor_may_change_protection()
    {
        var region = ProtectionRegion.Exclusive("x", new PhysRange(Ddr, 0x1000), AccessPermissions.None);
        Assert.False(_bus.Protection.Set(BusMaster.LinuxEl2, region));
        Assert.True(_bus.Protection.Set(BusMaster.Hyp, region));
        Assert.False(_bus.Protection.Remove(BusMaster.LinuxEl1, "x"));
        Assert.True(_bus.Protection.Remove(BusMaster.SecureWorld, "x"));
    }

    [Fact]
    public void An_address_nothing_decodes_is_a_decode_error()
    {
        Assert.Equal(BusStatus.DecodeError, _bus.ReadUInt32(BusMaster.LinuxEl1, new PhysAddr(0x1000), out var v));
        Assert.Equal(0u, v);
        Assert.Equal(BusStatus.DecodeError, _bus.Read(BusMaster.LinuxEl1, Ddr + ((64UL << 30) - 4), new byte[8]));
    }

    [Fact]
    public void Overlapping_windows_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => _bus.AddRam("again", Ddr + 0x1000, 0x1000));
    }

    [Fact]
    public void A_dma_gather_for_a_device_write_hands_out_the_pages_page_by_page_and_writes_land_in_memory()
    {
        var segments = new List<Memory<byte>>();
        Assert.Equal(BusStatus.Ok, _bus.Gather(BusMaster.SecureWorld, Ddr + 0xF00, 0x1200, AccessKind.Write, segments));
        Assert.Equal(new[] { 0x100, 0x1000, 0x100 }, segments.Select(s => s.Length));
        foreach (var s in segments) s.Span.Fill(0x5A);
        var back = new byte[0x1202];
        _bus.Read(BusMaster.LinuxEl1, Ddr + 0xEFF, back);
        Assert.Equal(0, back[0]);
        Assert.All(back[1..^1], b => Assert.Equal(0x5A, b));
        Assert.Equal(0, back[^1]);
    }

    [Fact]
    public void A_dma_gather_for_a_device_read_of_untouched_memory_allocates_nothing_and_reads_zeros()
    {
        var segments = new List<Memory<byte>>();
        Assert.Equal(BusStatus.Ok, _bus.Gather(BusMaster.SecureWorld, Ddr + (5UL << 30), 0x3000, AccessKind.Read, segments));
        Assert.All(segments, s => Assert.True(s.Span.IndexOfAnyExcept((byte)0) < 0));
        Assert.Equal(0UL, _bus.TouchedRamBytes);
    }

    [Fact]
    public void A_dma_gather_into_a_locked_region_is_denied_and_hands_out_nothing()
    {
        Lock(new PhysRange(Ddr + 0x1000, 0x1000), AccessPermissions.None, Vmid.Hlos);
        var segments = new List<Memory<byte>>();
        Assert.Equal(BusStatus.Denied, _bus.Gather(BusMaster.LinuxEl1, Ddr, 0x2000, AccessKind.Write, segments));
        Assert.Empty(segments);
        Assert.Equal(1, _bus.FaultCount);
    }

    [Fact]
    public void The_observer_sees_every_admitted_transaction_and_no_refused_one()
    {
        var seen = new Recorder();
        _bus.Observer = seen;
        Lock(new PhysRange(Ddr + 0x10_0000, 0x1000), AccessPermissions.All, Vmid.Tz);
        _bus.WriteUInt32(BusMaster.LinuxEl1, Ddr, 1);
        _bus.Fill(BusMaster.SecureWorld, Ddr + 0x10_0000, 0x20, 0);
        _bus.Read(BusMaster.LinuxEl1, Ddr + 0x10_0000, new byte[4]); // denied: a fault, not an access
        Assert.Equal(
            [(BusMaster.LinuxEl1, Ddr, 4UL, AccessKind.Write), (BusMaster.SecureWorld, Ddr + 0x10_0000, 0x20UL, AccessKind.Write)],
            seen.Accesses);
    }

    private void Lock(PhysRange range, AccessPermissions permissions, params Vmid[] owners) =>
        Assert.True(_bus.Protection.Set(BusMaster.SecureWorld, ProtectionRegion.Exclusive("secure", range, permissions, owners)));

    private sealed class Recorder : IBusObserver
    {
        public List<(BusMaster, PhysAddr, ulong, AccessKind)> Accesses { get; } = [];

        public void Admitted(BusMaster master, PhysAddr address, ulong length, AccessKind kind, BusWindow window) => Accesses.Add((master, address, length, kind));
    }
}

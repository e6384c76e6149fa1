using Qtz.Kernel.Iommu;
using Qtz.Platform.Boards;
using Qtz.Fuzzing.Invariants;
using Qtz.Soc;
using Xunit;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;

namespace Qtz.Fuzzing.Tests;

/// <summary>The smc target's security invariants hold on a booted board, and each one fails when broken on purpose.</summary>
public class SmcInvariantTests
{
    private static readonly Iova Stray = new(0x4000_0000);

    [Theory]
    [InlineData(KernelMode.Qhee)]
    [InlineData(KernelMode.Kvm)]
    public void A_booted_board_keeps_every_invariant(KernelMode mode)
    {
        var board = Booted(mode);
        Assert.Empty(DspMappingInvariant.Check(board));
    }

    [Fact]
    public void An_extra_page_mapped_into_a_dsp_domain_breaks_the_mapping_invariant()
    {
        var board = Booted(KernelMode.Kvm);
        var adsp = board.Remoteproc("adsp");
        Assert.Equal(Kernel.Errno.None, board.Driver("adsp")!.Rproc.Domain!.Map(Stray, board.Memory.KernelDma.Base, 0x1000, IommuProt.Read | IommuProt.Write));
        var violation = Assert.Single(DspMappingInvariant.Check(board));
        Assert.Equal(DspMappingInvariant.Name, violation.Invariant);
        Assert.Contains($"adsp: context bank", violation.Message, StringComparison.Ordinal);
        Assert.Contains($"maps iova {Stray}+0x1000 -> {board.Memory.KernelDma.Base}", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(board.Peripherals.Single(p => p.Name == "adsp").DeviceMemory, d => d.Physical == board.Memory.KernelDma.Base);
        Assert.Equal(DspState.Running, adsp.Core.State);
    }

    [Fact]
    public void A_running_dsp_that_loses_part_of_its_carveout_mapping_breaks_the_mapping_invariant()
    {
        var board = Booted(KernelMode.Kvm);
        var carveout = board.Remoteproc("cdsp0").Carveout;
        Assert.Equal(0x20_0000UL, board.Driver("cdsp0")!.Rproc.Domain!.Unmap(new Iova(carveout.Base.Value + 0x20_0000), 0x20_0000));
        var violation = Assert.Single(DspMappingInvariant.Check(board));
        Assert.Contains($"cdsp0 runs but context bank", violation.Message, StringComparison.Ordinal);
        Assert.Contains($"no longer maps its carveout at {new PhysAddr(carveout.Base.Value + 0x20_0000)}", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dsp_transaction_outside_its_carveout_and_device_memory_is_reported()
    {
        var board = Booted(KernelMode.Kvm);
        using var monitor = SecureAccessMonitor.Watch(board);
        var adsp = board.Remoteproc("adsp");
        board.Driver("adsp")!.Rproc.Domain!.Map(Stray, board.Memory.KernelDma.Base, 0x1000, IommuProt.Read);
        var inside = board.Smmu.Read(adsp.Hardware.StreamId, adsp.Hardware.Vmid, new Iova(adsp.Carveout.Base.Value), new byte[16]);
        Assert.True(inside.IsOk);
        Assert.Empty(monitor.TakeViolations());

        var outside = board.Smmu.Read(adsp.Hardware.StreamId, adsp.Hardware.Vmid, Stray, new byte[16]);
        Assert.True(outside.IsOk);
        var violation = Assert.Single(monitor.TakeViolations());
        Assert.Equal(SecureAccessMonitor.NoDspAccessOutsideMappings, violation.Invariant);
        Assert.Contains($"adsp read [{board.Memory.KernelDma.Base}", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KernelMode.Qhee)]
    [InlineData(KernelMode.Kvm)]
    public void A_secure_world_read_of_non_secure_memory_outside_every_bridge_is_a_bridge_bypass(KernelMode mode)
    {
        var board = Booted(mode);
        using var monitor = SecureAccessMonitor.Watch(board);
        Assert.True(board.World.Bridges.Enabled);
        var bridged = board.Memory.KernelDma.Base + 0x8000; // QHEE-mode tzmem creates no bridges of its own
        if (board.World.Bridges.FindContaining(new PhysRange(bridged, 64)) is null)
            Assert.Equal(0, board.World.Bridges.Create(new PhysRange(bridged, 0x1000), AccessPermissions.ReadWrite, AccessPermissions.ReadWrite, 0, 0, out _));
        Assert.Equal(BusStatus.Ok, board.Bus.Read(BusMaster.SecureWorld, bridged, new byte[64]));
        Assert.Empty(monitor.TakeViolations());

        var unbridged = Unbridged(board);
        Assert.Equal(BusStatus.Ok, board.Bus.Read(BusMaster.SecureWorld, unbridged, new byte[64]));
        var violation = Assert.Single(monitor.TakeViolations());
        Assert.Equal(SecureAccessMonitor.NoBridgeBypass, violation.Invariant);
        Assert.Contains($"the secure world read non-secure memory [{unbridged}", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_locked_away_from_the_non_secure_world_is_not_a_bridge_bypass()
    {
        var board = Booted(KernelMode.Qhee);
        using var monitor = SecureAccessMonitor.Watch(board);
        var carveout = board.Remoteproc("adsp").Carveout;
        Assert.True(board.Pas.IsCarveoutLocked(board.Remoteproc("adsp").PasId));
        Assert.Equal(BusStatus.Ok, board.Bus.Read(BusMaster.SecureWorld, carveout.Base, new byte[64]));
        Assert.Empty(monitor.TakeViolations());
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Only_init_image_below_el2_may_read_its_metadata_outside_every_bridge(int callerEl, bool bypass)
    {
        var board = Booted(KernelMode.Qhee);
        using var monitor = SecureAccessMonitor.Watch(board);
        var initImage = ScmCatalog.Find("PIL.PAS_INIT_IMAGE")!.FunctionId().Value;
        monitor.BeginCall(new SmcCall(BusMaster.NonSecureCpu(callerEl), initImage, 0, 1, Unbridged(board).Value, 0, 0));
        board.Bus.Read(BusMaster.SecureWorld, Unbridged(board), new byte[64]);
        monitor.EndCall();
        Assert.Equal(bypass, monitor.TakeViolations().Any(v => v.Invariant == SecureAccessMonitor.NoBridgeBypass));
    }

    private static Board Booted(KernelMode mode)
    {
        var board = Board.Build(new BoardOptions { Mode = mode });
        Assert.True(board.Boot().AllRunning);
        return board;
    }

    /// <summary>The last page of the kernel's DMA memory: non-secure RAM that no bridge covers.</summary>
    private static PhysAddr Unbridged(Board board)
    {
        var at = new PhysAddr(board.Memory.KernelDma.Last.Value - 0xFFF);
        Assert.False(board.World.Bridges.AnyOverlaps(new PhysRange(at, 0x1000)));
        return at;
    }
}

using Qtz.DeviceTree;
using Qtz.Linux.Bridge;
using Qtz.Linux.Remoteproc;
using Qtz.Secure;
using Qtz.Soc;
using Xunit;
using Qtz.DeviceTree.Model;
using Qtz.Linux.Guest;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Tests.Remoteproc;

/// <summary>The remoteproc extension on a real guest world (sparse RAM file), without QEMU.</summary>
public sealed class GuestRemoteprocsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qtz-rproc-test-").FullName;
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned)) d.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (GuestWorld World, GuestRemoteprocs Remoteprocs) Build(GuestHypervisor hypervisor)
    {
        var ram = MappedFileRam.Create(Path.Combine(_dir, $"ram{_owned.Count}"), GuestMemoryMap.Ram.Size);
        _owned.Add(ram);
        var remoteprocs = new GuestRemoteprocs(new GuestRemoteprocOptions { Hypervisor = hypervisor });
        var world = new GuestWorld(ram, new GuestWorldOptions { Extensions = [remoteprocs] });
        _owned.Add(world);
        return (world, remoteprocs);
    }

    [Fact]
    public void The_board_s_five_DSPs_are_served_with_their_carveouts_inside_guest_RAM()
    {
        var (_, r) = Build(GuestHypervisor.Qhee);
        Assert.Equal(["adsp", "cdsp0", "cdsp1", "gpdsp0", "gpdsp1"], r.Dsps.Select(d => d.Name).Order());
        var ram = GuestMemoryMap.Ram;
        Assert.All(r.Dsps, d => Assert.True(d.Carveout.Base.Value >= ram.Base.Value && d.Carveout.Base.Value + d.Carveout.Size <= ram.Base.Value + ram.Size, $"{d.Name} {d.Carveout}"));
        // The ride DT's own pil_adsp_mem (Linux 6.12's sa8775p.dtsi: 0x95c00000), not a value of ours.
        Assert.Equal(BoardPas.Describe((Qtz.Platform.Boards.NamedBlob?)null).Single(d => d.Name == "adsp").Carveout, r.Dsp("adsp").Carveout);
        Assert.Equal(0x95c0_0000UL, r.Dsp("adsp").Carveout.Base.Value);
        Assert.NotNull(r.Qhee);
        Assert.Null(r.HostSmmu);
    }

    [Fact]
    public void The_hypervisor_s_page_tables_lie_outside_the_guest_s_RAM()
    {
        var (_, r) = Build(GuestHypervisor.Qhee);
        var priv = r.Options.PrivateRam;
        var ram = GuestMemoryMap.Ram;
        Assert.True(priv.Base.Value >= ram.Base.Value + ram.Size || priv.Base.Value + priv.Size <= ram.Base.Value);
    }

    [Fact]
    public void The_guest_tree_gets_what_qcom_q6v5_pas_probes()
    {
        var (world, r) = Build(GuestHypervisor.Qhee);
        var tree = new DtTree();
        tree.Root.SetCells("#address-cells", 2);
        tree.Root.SetCells("#size-cells", 2);
        r.AddDeviceTreeNodes(world, tree);
        var adsp = tree.Root.FindChild("remoteproc@30000000")!;
        Assert.Equal(["qcom,sa8775p-adsp-pas"], adsp.GetStringList("compatible"));
        Assert.Equal(GuestSpis.Names, adsp.GetStringList("interrupt-names"));
        Assert.Equal(["lcx", "lmx"], adsp.GetStringList("power-domain-names"));
        Assert.Equal(["stop"], adsp.GetStringList("qcom,smem-state-names"));
        Assert.Equal(["xo"], adsp.GetStringList("clock-names"));
        Assert.Equal(["qcom/sa8775p/adsp.mbn"], adsp.GetStringList("firmware-name"));
        var region = adsp.GetMemoryRegions().Single();
        Assert.True(region.HasProperty("no-map"));
        Assert.Equal((r.Dsp("adsp").Carveout.Base.Value, r.Dsp("adsp").Carveout.Size), (region.GetReg()[0].Address, region.GetReg()[0].Size));
        var shim = tree.Root.FindChild(GuestRemoteprocNodes.ShimNode)!;
        Assert.Equal(5, shim.Children.Count(c => c.HasProperty("#qcom,smem-state-cells")));
        var phandles = tree.Root.DescendantsAndSelf().Select(n => n.Phandle).Where(p => p is not null).ToList();
        Assert.Equal(phandles.Count, phandles.Distinct().Count());
    }

    [Fact]
    public void The_shim_s_stop_bit_reaches_the_DSP_and_a_bad_entry_is_refused()
    {
        var (world, r) = Build(GuestHypervisor.Qhee);
        var ok = world.Conduit.Smc(new SmcCall(BusMaster.LinuxEl1, GuestRemoteprocs.Smp2pOutFunctionId, 3, 2, 1, 1));
        Assert.Equal(0UL, ok.X0);
        Assert.Equal(1u, r.Dsps[2].Signals.ToDsp.Bits);
        var bad = world.Conduit.Smc(new SmcCall(BusMaster.LinuxEl1, GuestRemoteprocs.Smp2pOutFunctionId, 3, 9, 1, 1));
        Assert.Equal(ScmStatus.InvalidArgument, bad.Status);
    }

    [Fact]
    public void On_a_KVM_host_a_released_DSP_faults_in_the_SMMU_and_raises_fatal_into_the_guest()
    {
        var (world, r) = Build(GuestHypervisor.Kvm);
        var raised = new List<int>();
        var events = new List<GuestRprocEvent>();
        r.Traced += events.Add;
        r.Started(world, new RecordingInterrupts(raised));
        var adsp = r.Dsp("adsp");
        adsp.Core.ReleaseReset(new DspBootImage(new Iova(adsp.Carveout.Base.Value), [], []));
        Assert.Equal(DspState.Crashed, adsp.Core.State);
        Assert.Equal([adsp.Spi(GuestSpis.Fatal)], raised);
        Assert.Contains(events, e => e.Source == "smmu" && e.What.StartsWith("sid 0x3000 ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_injected_crash_of_a_running_DSP_raises_fatal_and_one_of_a_DSP_in_reset_is_ignored()
    {
        var (world, r) = Build(GuestHypervisor.Kvm);
        var raised = new List<int>();
        var events = new List<GuestRprocEvent>();
        r.Traced += events.Add;
        r.Started(world, new RecordingInterrupts(raised));
        r.Inject(RprocFault.Watchdog, "cdsp0");
        world.Clock.RunPending();
        Assert.Empty(raised);
        Assert.Contains(events, e => e.Source == "cdsp0" && e.What.Contains("ignored", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => r.Inject(RprocFault.Crash, "modem"));
    }

    private sealed class RecordingInterrupts(List<int> raised) : IGuestInterrupts
    {
        public bool Raise(int spi)
        {
            raised.Add(spi);
            return true;
        }
    }
}

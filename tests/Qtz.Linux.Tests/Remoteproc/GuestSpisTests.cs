using Qtz.Linux.Remoteproc;
using Xunit;
using Qtz.Linux.Guest;
using Qtz.Linux.Run;

namespace Qtz.Linux.Tests.Remoteproc;

public class GuestSpisTests
{
    [Fact]
    public void The_five_SA8775p_DSPs_get_disjoint_SPIs_above_QEMU_virt_and_inside_its_GIC()
    {
        var spis = Enumerable.Range(0, 5).SelectMany(k => Enumerable.Range(GuestSpis.Base(k), GuestSpis.Names.Count)).ToList();
        Assert.Equal(spis.Count, spis.Distinct().Count());
        Assert.All(spis, s => Assert.InRange(s, 176, 255));
    }

    [Fact]
    public void The_interrupt_names_follow_the_binding_order()
    {
        Assert.Equal(["wdog", "fatal", "ready", "handover", "stop-ack"], GuestSpis.Names);
        Assert.Equal(("ready", "stop-ack"), (GuestSpis.Names[GuestSpis.Ready], GuestSpis.Names[GuestSpis.StopAck]));
    }

    [Fact]
    public void More_DSPs_than_the_GIC_has_room_for_are_refused()
    {
        Assert.Equal(251, GuestSpis.Base(15));
        Assert.Throws<ArgumentOutOfRangeException>(() => GuestSpis.Base(16));
    }
}

public class GuestRemoteprocsDefaultTests
{
    [Fact]
    public void Every_run_gets_the_board_s_remoteprocs_unless_it_brings_its_own()
    {
        var plain = LinuxGuestExtensions.WithDefaults(new GuestRunOptions { Mode = GuestMode.Kvm });
        var made = Assert.IsType<GuestRemoteprocs>(Assert.Single(plain.Extensions));
        Assert.Equal(GuestHypervisor.Kvm, made.Options.Hypervisor);
        var own = new GuestRemoteprocs();
        Assert.Same(own, Assert.Single(LinuxGuestExtensions.WithDefaults(new GuestRunOptions { Extensions = [own] }).Extensions));
    }
}

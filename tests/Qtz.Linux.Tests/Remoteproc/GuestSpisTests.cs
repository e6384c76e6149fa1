using Qtz.Linux.Remoteproc;
using Xunit;

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

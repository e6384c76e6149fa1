using Qtz.Soc;
using Xunit;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

public sealed class PasShutdownTests
{
    private const uint AdspSwId = 0x04;

    [Fact]
    public void SHUTDOWN_stops_the_DSP_scrubs_and_unlocks_the_carveout_and_leaves_nothing_locked()
    {
        var bench = new PasBench();
        bench.Boot(TestImages.Signed(AdspSwId));
        Assert.Equal((0L, 0UL), Outcome(bench.Shutdown()));
        Assert.Equal(DspState.Reset, bench.Core.State);
        Assert.Equal(0, bench.Pas.LockedCarveoutCount);
        Assert.Equal(0, bench.Pas.LockedMetadataCount);
        Assert.Equal(PasState.Idle, bench.Pas.StateOf(AdspPasId));
        var data = new byte[0x1000];
        Assert.Equal(BusStatus.Ok, bench.Bus.Read(BusMaster.LinuxEl1, bench.Carveout.Base, data));
        Assert.All(data, b => Assert.Equal(0, b)); // scrubbed: the image does not leak to HLOS
        Assert.DoesNotContain(bench.Bus.Protection.Regions, r => r.Range.Overlaps(bench.Carveout));
    }

    [Fact]
    public void The_peripheral_boots_again_after_SHUTDOWN()
    {
        var bench = new PasBench();
        var signed = TestImages.Signed(AdspSwId);
        bench.Boot(signed);
        bench.Shutdown();
        Assert.Equal((0L, 0UL), Outcome(bench.Boot(signed)));
        Assert.Equal(2, bench.Core.BootCount);
    }

    [Fact]
    public void SHUTDOWN_of_an_idle_peripheral_is_refused()
    {
        var bench = new PasBench();
        Assert.Equal((0L, PasErrors.WrongState), Outcome(bench.Shutdown()));
    }

    [Fact]
    public void SHUTDOWN_after_a_refused_start_releases_the_held_metadata()
    {
        var bench = new PasBench();
        bench.Boot(TestImages.Signed(AdspSwId), copy => copy[0x2010] ^= 1);
        Assert.Equal(1, bench.Pas.LockedMetadataCount);
        Assert.Equal((0L, 0UL), Outcome(bench.Shutdown()));
        Assert.Equal(0, bench.Pas.LockedMetadataCount);
        Assert.Equal(0, bench.Pas.LockedCarveoutCount);
    }
}

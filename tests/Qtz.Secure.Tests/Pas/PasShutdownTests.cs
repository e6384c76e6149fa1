using Qtz.Soc;
using Xunit;
using Qtz.Secure.Pas;
using Qtz.Secure.Scm;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

public sealed class PasShutdownTests
{
    private const uint AdspSwId = 0x04;

    [Fact]
    public void SHUTDOWN_stops_the_DSP_and_hands_the_carveout_back_to_HLOS_as_it_was_for_the_coredump()
    {
        var bench = new PasBench();
        bench.Boot(TestImages.Signed(AdspSwId));
        var running = new byte[0x1000];
        Assert.Equal(BusStatus.Ok, bench.Bus.Read(BusMaster.SecureWorld, bench.Carveout.Base, running));
        Assert.NotEqual(BusStatus.Ok, bench.Bus.Read(BusMaster.LinuxEl1, bench.Carveout.Base, new byte[16])); // locked while it runs
        Assert.Equal((0L, 0UL), Outcome(bench.Shutdown()));
        Assert.Equal(DspState.Reset, bench.Core.State);
        Assert.Equal(0, bench.Pas.LockedCarveoutCount);
        Assert.Equal(0, bench.Pas.LockedMetadataCount);
        Assert.Equal(PasState.Idle, bench.Pas.StateOf(AdspPasId));
        var data = new byte[0x1000];
        Assert.Equal(BusStatus.Ok, bench.Bus.Read(BusMaster.LinuxEl1, bench.Carveout.Base, data));
        Assert.Equal(running, data);
        Assert.Contains(data, b => b != 0);
        Assert.DoesNotContain(bench.Bus.Protection.Regions, r => r.Range.Overlaps(bench.Carveout));
    }

    [Fact]
    public void A_TZ_that_scrubs_at_SHUTDOWN_hands_back_only_zeros()
    {
        var bench = new PasBench();
        bench.Pas.ScrubOnShutdown = true;
        bench.Boot(TestImages.Signed(AdspSwId));
        Assert.Equal((0L, 0UL), Outcome(bench.Shutdown()));
        var data = new byte[(int)Math.Min(bench.Carveout.Size, 1 << 20)];
        Assert.Equal(BusStatus.Ok, bench.Bus.Read(BusMaster.LinuxEl1, bench.Carveout.Base, data));
        Assert.All(data, b => Assert.Equal(0, b));
        Assert.Contains("scrubbed", bench.Pas.Events[^1].ToString(), StringComparison.Ordinal);
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

using Qtz.Soc;
using Xunit;
using Qtz.Secure.Pas;
using Qtz.Soc.Smc;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

public sealed class PasMiscCommandTests
{
    [Fact]
    public void IS_SUPPORTED_answers_one_for_a_registered_PAS_id_and_zero_otherwise()
    {
        var bench = new PasBench();
        Assert.Equal(new SmcResult(0, 1), bench.Pil(PasService.IsSupportedCommand, ArgInfo.Values(1), AdspPasId));
        Assert.Equal(new SmcResult(0, 0), bench.Pil(PasService.IsSupportedCommand, ArgInfo.Values(1), 18));
    }

    [Fact]
    public void IS_CALL_AVAIL_reports_every_PAS_command_and_SET_REMOTE_STATE()
    {
        var bench = new PasBench();
        foreach (var (svc, cmd) in new (byte, byte)[] { (2, 1), (2, 2), (2, 5), (2, 6), (2, 7), (2, 0x0A), (2, 0x21), (1, 0x0A) })
        {
            var asked = (2UL << 24) | ((ulong)svc << 8) | cmd;
            Assert.Equal(1UL, bench.Smc(ScmCatalog.Info, ScmCatalog.IsCallAvailable, ArgInfo.Values(1), asked).X1);
        }
    }

    [Fact]
    public void SET_REMOTE_STATE_is_accepted_and_recorded()
    {
        var bench = new PasBench();
        Assert.Equal(new SmcResult(0), bench.Smc(ScmCatalog.Boot, RemoteStateService.SetRemoteStateCommand, ArgInfo.Values(2), 1, 9));
        Assert.Equal(1u, bench.Pas.RemoteState.StateOf(9));
    }

    [Fact]
    public void MSS_RESET_is_refused_politely_on_a_board_without_a_modem()
    {
        var bench = new PasBench();
        Assert.Equal((0L, PasErrors.NoModem), Outcome(bench.Pil(PasService.MssResetCommand, ArgInfo.Values(2), 1, 0)));
    }

    [Fact]
    public void Registering_a_PAS_id_twice_is_a_wiring_error()
    {
        var bench = new PasBench();
        Assert.Throws<ArgumentException>(() => new PasService(bench.World, bench.Fuses, [bench.Peripheral, bench.Peripheral]));
    }

    [Fact]
    public void Every_refusal_is_an_event_with_a_reason()
    {
        var bench = new PasBench();
        var seen = new List<PasEvent>();
        bench.Pas.Traced += seen.Add;
        bench.AuthAndReset();
        var e = Assert.Single(seen);
        Assert.True(e.Refused);
        Assert.Equal("AUTH_AND_RESET", e.Call);
        Assert.Contains("WRONG_STATE", e.ToString());
    }
}

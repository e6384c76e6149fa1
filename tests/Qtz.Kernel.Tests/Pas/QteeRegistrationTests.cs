using Qtz.Kernel.Pas;
using Qtz.Kernel.Tests.Scm;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tests.Pas;

/// <summary>spec/socs.md §4.3: the QTEE backend registers from the SCM probe when IS_CALL_AVAIL(PIL, AUTH_AND_RESET) says yes (qtz's choice of the UNCONFIRMED probe).</summary>
public sealed class QteeRegistrationTests
{
    /// <summary>IS_CALL_AVAIL's argument for PIL AUTH_AND_RESET: SIP owner, svc 0x02, cmd 0x05.</summary>
    private const ulong PilAuthAndReset = (2UL << 24) | (0x02 << 8) | 0x05;

    [Fact]
    public void The_SCM_probe_registers_qcom_scm_when_TZ_says_PIL_AUTH_AND_RESET_is_available()
    {
        var bench = new KernelScmBench();
        var pas = new QcomPas();
        Assert.True(QteePasOps.RegisterFromScmProbe(bench.Scm, pas));
        Assert.Equal("qcom_scm", pas.BackendName);
        var asked = Assert.Single(bench.Tz.Calls, c => c.Call.FunctionId.IsScm && c.Call.FunctionId.Service == 0x06 && c.Call.FunctionId.Command == 0x01);
        Assert.Equal(PilAuthAndReset, asked.Call.X2);
        Assert.DoesNotContain(bench.Tz.Calls, c => c.Call.FunctionId.IsScm && c.Call.FunctionId.Service == 0x02 && c.Call.FunctionId.Command == 0x07); // not IS_SUPPORTED
    }

    [Fact]
    public void A_TZ_without_PIL_AUTH_AND_RESET_leaves_the_layer_empty_for_another_backend()
    {
        var bench = new KernelScmBench(configure: tz => tz.Available = arg => arg != PilAuthAndReset);
        var pas = new QcomPas();
        Assert.False(QteePasOps.RegisterFromScmProbe(bench.Scm, pas));
        Assert.False(pas.IsAvailable());
    }
}

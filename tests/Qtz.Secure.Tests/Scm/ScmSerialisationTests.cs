using Qtz.Soc;
using Xunit;
using Qtz.Secure.Scm;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Tests.Scm;

/// <summary>TrustZone runs one SCM call at a time, whoever issues it, and a call cannot re-enter TZ from inside a call.</summary>
public sealed class ScmSerialisationTests
{
    [Fact]
    public void Calls_from_several_cpus_run_one_at_a_time_in_trustzone()
    {
        var inside = 0;
        var most = 0;
        var tz = new SecureTestBench(extra: services => services.Add(0x43, 0x01, _ =>
        {
            var now = Interlocked.Increment(ref inside);
            if (now > Volatile.Read(ref most)) Volatile.Write(ref most, now);
            Thread.SpinWait(2000);
            Interlocked.Decrement(ref inside);
            return ScmReply.Ok();
        }));
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
            Assert.Equal(ScmStatus.Success, tz.Std64(0x43, 0x01, ArgInfo.None).Status));
        Assert.Equal(1, most);
        Assert.Equal(200, tz.Dispatcher.CallCount);
    }

    [Fact]
    public void A_call_that_re_enters_trustzone_from_inside_a_call_is_a_wiring_bug_and_throws()
    {
        SecureTestBench? tz = null;
        tz = new SecureTestBench(extra: services => services.Add(0x43, 0x01, _ => ScmReply.Ok(tz!.Std64(0x43, 0x02, ArgInfo.None).X1))
            .Add(0x43, 0x02, _ => ScmReply.Ok(7)));
        var e = Assert.Throws<InvalidOperationException>(() => tz.Std64(0x43, 0x01, ArgInfo.None));
        Assert.Contains("re-entered TrustZone", e.Message, StringComparison.Ordinal);
    }
}

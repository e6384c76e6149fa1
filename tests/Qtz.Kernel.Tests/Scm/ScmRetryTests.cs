using Qtz.Kernel;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.Tests.Scm;

/// <summary>__scm_smc_do and __scm_smc_do_quirk: the BUSY and INTERRUPTED loops, in virtual time.</summary>
public sealed class ScmRetryTests
{
    private const byte Svc = 0x42;
    private const byte Cmd = 0x01;

    private static KernelScmBench BusyFor(int times)
    {
        var answered = 0;
        return new KernelScmBench(configure: tz => tz.Answer = _ => answered++ < times ? SmcResult.FromStatus(-12) : new SmcResult(0, 7));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(21)]
    public void Busy_answered_N_times_is_retried_every_30_ms_and_then_succeeds(int n)
    {
        var bench = BusyFor(n);
        var start = bench.Clock.Now;
        var ret = bench.Scm.Call(new ScmDesc(Svc, Cmd, ArgInfo.None), out var res);
        Assert.Equal(0, ret);
        Assert.Equal(7UL, res.Result0);
        var smcs = bench.Tz.CallsTo(Svc, Cmd);
        Assert.Equal(n + 1, smcs.Count);
        for (var i = 1; i < smcs.Count; i++) Assert.Equal(TimeSpan.FromMilliseconds(30), smcs[i].Time - smcs[i - 1].Time);
        Assert.Equal(TimeSpan.FromMilliseconds(30 * n), bench.Clock.Now - start);
    }

    [Theory]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(1000)]
    public void Busy_answered_22_or_more_times_gives_up_after_22_SMCs_and_21_sleeps_with_EBUSY(int n)
    {
        var bench = BusyFor(n);
        var start = bench.Clock.Now;
        Assert.Equal(-ScmErrno.EBUSY, bench.Scm.Call(new ScmDesc(Svc, Cmd, ArgInfo.None), out _));
        Assert.Equal(22, bench.Tz.CallsTo(Svc, Cmd).Count);
        Assert.Equal(TimeSpan.FromMilliseconds(21 * 30), bench.Clock.Now - start);
    }

    [Fact]
    public void Atomic_calls_are_not_retried_on_busy()
    {
        var bench = BusyFor(5);
        var start = bench.Clock.Now;
        Assert.Equal(-ScmErrno.EBUSY, bench.Scm.CallAtomic(new ScmDesc(Svc, Cmd, ArgInfo.None), out _));
        Assert.Single(bench.Tz.CallsTo(Svc, Cmd));
        Assert.Equal(start, bench.Clock.Now);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Interrupted_calls_are_reissued_at_once_with_x0_one_and_the_returned_session_word(bool atomic)
    {
        var session = 0x500UL;
        var bench = new KernelScmBench(configure: tz => tz.Answer = call =>
            session < 0x503 ? new SmcResult(1, X6: ++session) : new SmcResult(0, call.X2));
        var start = bench.Clock.Now;
        var desc = new ScmDesc(Svc, Cmd, ArgInfo.Values(2), 0xAB, 0xCD);
        var ret = atomic ? bench.Scm.CallAtomic(desc, out var res) : bench.Scm.Call(desc, out res);
        Assert.Equal((0, 0xABUL), (ret, res.Result0));
        var calls = bench.Tz.Calls.Select(c => c.Call).ToList();
        Assert.Equal(4, calls.Count);
        Assert.Equal(0UL, calls[0].X6);
        Assert.Equal([1UL, 1, 1], calls.Skip(1).Select(c => c.X0));
        Assert.Equal([0x501UL, 0x502, 0x503], calls.Skip(1).Select(c => c.X6));
        Assert.All(calls, c => Assert.Equal((2UL, 0xABUL, 0xCDUL, 0UL), (c.X1, c.X2, c.X3, c.X7)));
        Assert.Equal(start, bench.Clock.Now);
    }

    [Fact]
    public void Each_busy_retry_starts_a_fresh_session_word()
    {
        var answers = new Queue<SmcResult>([new SmcResult(1, X6: 9), SmcResult.FromStatus(-12), new SmcResult(0)]);
        var bench = new KernelScmBench(configure: tz => tz.Answer = _ => answers.Dequeue());
        Assert.Equal(0, bench.Scm.Call(new ScmDesc(Svc, Cmd, ArgInfo.None), out _));
        Assert.Equal([0UL, 9, 0], bench.Tz.Calls.Select(c => c.Call.X6));
    }

    [Fact]
    public void Non_atomic_calls_are_serialised_by_one_lock()
    {
        var inside = 0;
        var maxInside = 0;
        var bench = new KernelScmBench(configure: tz => tz.Answer = call =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            Thread.SpinWait(2000);
            Interlocked.Decrement(ref inside);
            return new SmcResult(0);
        });
        bench.Tz.Clock = null;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            Assert.Equal(0, bench.Scm.Call(new ScmDesc(Svc, Cmd, ArgInfo.None), out _)));
        Assert.Equal(1, maxInside);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

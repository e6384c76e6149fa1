using Qtz.Platform.Boards;
using Qtz.Kernel;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Scm;
using Qtz.Soc.Smc;

namespace Qtz.Platform.Tests.Scm;

/// <summary>Kernel client → SMC conduit → TZ dispatcher → a test service, and back (issue #3 round trips).</summary>
public sealed class ScmRoundTripTests
{
    private readonly RoundTripService _service = new();

    private SecureChannel Channel(SecureChannelOptions? options = null) => _service.NewChannel(options);

    public static TheoryData<int, bool> ArgCounts()
    {
        var data = new TheoryData<int, bool>();
        for (var n = 0; n <= 10; n++)
        {
            data.Add(n, true);
            data.Add(n, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ArgCounts))]
    public void Every_argument_count_round_trips_under_both_conventions(int count, bool smc64)
    {
        var channel = Channel(new SecureChannelOptions { SecureSmc64 = smc64 });
        Assert.Equal(smc64 ? ScmConvention.Arm64 : ScmConvention.Arm32, channel.Scm.Convention);
        var args = Enumerable.Range(1, count).Select(i => 0x1_0000_0000UL * (ulong)i + (ulong)i * 3).ToArray();
        var expected = smc64 ? args : args.Select(a => (ulong)(uint)a).ToArray();

        var ret = channel.Scm.Call(new ScmDesc(RoundTripService.Service, 1, ArgInfo.Values(count), args), out var res);

        Assert.Equal(0, ret);
        Assert.Equal(expected, _service.Seen.Single());
        var sum = expected.Aggregate(0UL, (s, a) => s + a);
        Assert.Equal(new ScmResponse((ulong)count, smc64 ? sum : (uint)sum, expected.LastOrDefault()), res);
        Assert.Equal(0, channel.Scm.Pool!.LiveChunks);
    }

    [Fact]
    public void Atomic_calls_round_trip_too()
    {
        var channel = Channel();
        Assert.Equal(0, channel.Scm.CallAtomic(new ScmDesc(RoundTripService.Service, 1, ArgInfo.Values(6), 1, 2, 3, 4, 5, 6), out var res));
        Assert.Equal(new ScmResponse(6, 21, 6), res);
    }

    [Theory]
    [InlineData(ScmStatus.Error, -ScmErrno.EIO)]
    [InlineData(ScmStatus.InvalidArgument, -ScmErrno.EINVAL)]
    [InlineData(ScmStatus.InvalidAddress, -ScmErrno.EINVAL)]
    [InlineData(ScmStatus.NotSupported, -ScmErrno.EOPNOTSUPP)]
    [InlineData(ScmStatus.NoMemory, -ScmErrno.ENOMEM)]
    public void Service_status_comes_back_as_the_documented_errno(long status, int errno)
    {
        var channel = Channel();
        Assert.Equal(errno, channel.Scm.Call(new ScmDesc(RoundTripService.Service, 3, ArgInfo.Values(1), unchecked((ulong)status)), out _));
    }

    [Fact]
    public void Service_level_error_comes_back_as_success_with_the_code_in_result0()
    {
        var channel = Channel();
        Assert.Equal(0, channel.Scm.Call(new ScmDesc(RoundTripService.Service, 4, ArgInfo.Values(1), 9), out var res));
        Assert.Equal(9UL, res.Result0);
    }

    [Fact]
    public void Unknown_call_is_EIO_and_reported_unavailable()
    {
        var channel = Channel();
        Assert.Equal(-ScmErrno.EIO, channel.Scm.Call(new ScmDesc(RoundTripService.Service, 0x77, ArgInfo.None), out _));
        Assert.False(channel.Scm.IsCallAvailable(RoundTripService.Service, 0x77));
        Assert.True(channel.Scm.IsCallAvailable(RoundTripService.Service, 1));
        Assert.True(channel.Scm.IsCallAvailable(ScmCatalog.Mp, 0x1E));
    }

    [Fact]
    public void Busy_from_TZ_is_retried_like_Linux_and_gives_up_with_EBUSY()
    {
        var channel = Channel();
        channel.Dispatcher.Faults.Inject(global::Qtz.Secure.Scm.ScmFault.Busy, 3, RoundTripService.Service, 1);
        var start = channel.Clock.Now;
        Assert.Equal(0, channel.Scm.Call(new ScmDesc(RoundTripService.Service, 1, ArgInfo.None), out _));
        Assert.Equal(TimeSpan.FromMilliseconds(90), channel.Clock.Now - start);

        channel.Dispatcher.Faults.Inject(global::Qtz.Secure.Scm.ScmFault.Busy, 100, RoundTripService.Service, 1);
        var calls = channel.Conduit.CallCount;
        Assert.Equal(-ScmErrno.EBUSY, channel.Scm.Call(new ScmDesc(RoundTripService.Service, 1, ArgInfo.None), out _));
        Assert.Equal(22, channel.Conduit.CallCount - calls);
        Assert.Single(_service.Seen);
    }

    [Fact]
    public void Interrupted_calls_resume_through_the_conduit()
    {
        var channel = Channel();
        channel.Dispatcher.Faults.Inject(global::Qtz.Secure.Scm.ScmFault.Interrupted, 3, RoundTripService.Service, 1);
        var calls = channel.Conduit.CallCount;
        Assert.Equal(0, channel.Scm.Call(new ScmDesc(RoundTripService.Service, 1, ArgInfo.Values(4), 1, 2, 3, 4), out var res));
        Assert.Equal(new ScmResponse(4, 10, 4), res);
        Assert.Equal(4, channel.Conduit.CallCount - calls);
    }
}

using Qtz.Platform.Boards;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Scm;
using Qtz.Soc.Smc;

namespace Qtz.Platform.Tests.Scm;

/// <summary>
/// The test service behind the end-to-end tests, on SVC 0x42: cmd 1 returns (count, sum of arguments,
/// last argument) and records the arguments; cmd 2 reads 8 bytes from the buffer a0 points at; cmd 3
/// fails with the status in a0; cmd 4 answers a service error (x0 = 0, x1 = a0); cmd 5 takes 2 ms.
/// </summary>
[ScmService(Service)]
internal sealed partial class RoundTripService
{
    public const byte Service = 0x42;

    public List<ulong[]> Seen { get; } = [];

    /// <summary>A <see cref="SecureChannel"/> whose TZ also hosts this service.</summary>
    public SecureChannel NewChannel(SecureChannelOptions? options = null) => new(options, services => services.Add(this));

    [ScmCommand(1)]
    public ScmReply Echo(ScmRequest request)
    {
        var args = Enumerable.Range(0, request.ArgCount).Select(request.Arg).ToArray();
        Seen.Add(args);
        return ScmReply.Ok((ulong)args.Length, args.Aggregate(0UL, (s, a) => s + a), args.Length > 0 ? args[^1] : 0);
    }

    [ScmCommand(2)]
    public static ScmReply ReadEight(ScmRequest request)
    {
        var bytes = new byte[8];
        var status = request.ReadArgBuffer(0, bytes);
        return status == ScmStatus.Success ? ScmReply.Ok(BitConverter.ToUInt64(bytes)) : ScmReply.Fail(status);
    }

    [ScmCommand(3)]
    public static ScmReply Fail(ScmRequest request) => ScmReply.Fail((long)request.Arg(0));

    [ScmCommand(4)]
    public static ScmReply ServiceError(ScmRequest request) => ScmReply.ServiceError(request.Arg(0));

    [ScmCommand(5)]
    public static ScmReply Slow(ScmRequest request)
    {
        request.Clock.Advance(TimeSpan.FromMilliseconds(2));
        return ScmReply.Ok();
    }
}

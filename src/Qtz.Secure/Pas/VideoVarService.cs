using Qtz.Secure.Scm;
using Qtz.Soc.Smc;
using Qtz.Soc;

namespace Qtz.Secure.Pas;

/// <summary>One MP VIDEO_VAR call as TrustZone recorded it: the content-protection and non-pixel virtual ranges.</summary>
public readonly record struct VideoVarRanges(uint CpStart, uint CpSize, uint NonPixelStart, uint NonPixelSize);

/// <summary>
/// MP 0x08 VIDEO_VAR (a0 = cp_start, a1 = cp_size, a2 = cp_nonpixel_start, a3 = cp_nonpixel_size): the video
/// drivers tell TZ the device-virtual ranges of their secure (content-protection) and non-pixel buffers after
/// AUTH_AND_RESET(9). What TZ programs with them is UNCONFIRMED; qtz records the last ranges and refuses
/// (EINVAL_ARG) only ranges that wrap the 32-bit space, which no driver sends.
/// </summary>
[ScmService(ScmCatalog.Mp)]
public sealed partial class VideoVarService
{
    public const byte VideoVarCommand = ScmCatalog.MpVideoVar;

    private readonly Lock _gate = new();
    private VideoVarRanges? _last;
    private int _calls;

    /// <summary>The ranges of the last accepted call, or null.</summary>
    public VideoVarRanges? Last
    {
        get { lock (_gate) return _last; }
    }

    public int Calls
    {
        get { lock (_gate) return _calls; }
    }

    [ScmCommand(VideoVarCommand)]
    public ScmReply VideoVar(ScmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (cpStart, cpSize, npStart, npSize) = (request.Arg(0), request.Arg(1), request.Arg(2), request.Arg(3));
        if (cpStart + cpSize > 1UL << 32 || npStart + npSize > 1UL << 32) return ScmReply.Fail(ScmStatus.InvalidArgument);
        lock (_gate)
        {
            _last = new VideoVarRanges((uint)cpStart, (uint)cpSize, (uint)npStart, (uint)npSize);
            _calls++;
        }

        return ScmReply.Ok();
    }
}

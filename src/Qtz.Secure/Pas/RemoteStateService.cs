using Qtz.Soc;
using Qtz.Secure.Scm;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Pas;

/// <summary>
/// BOOT 0x0A SET_REMOTE_STATE (a0 = state, a1 = id): used by video and other non-remoteproc clients.
/// Its semantics beyond pass-through are UNCONFIRMED (spec §2.1, §11): TZ records the last state per
/// id and answers success (x0 = 0, x1 = 0).
/// </summary>
[ScmService(ScmCatalog.Boot)]
public sealed partial class RemoteStateService
{
    public const byte SetRemoteStateCommand = 0x0A;

    private readonly Lock _gate = new();
    private readonly Dictionary<uint, uint> _states = [];

    internal RemoteStateService(PasService owner) => Owner = owner;

    internal PasService Owner { get; }

    /// <summary>The last state set for <paramref name="id"/>, or null.</summary>
    public uint? StateOf(uint id)
    {
        lock (_gate) return _states.TryGetValue(id, out var s) ? s : null;
    }

    [ScmCommand(SetRemoteStateCommand)]
    public ScmReply SetRemoteState(ScmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) _states[(uint)request.Arg(1)] = (uint)request.Arg(0);
        return ScmReply.Ok();
    }
}

using Qtz.Firmware.Verification;
using Qtz.Soc;
using Qtz.Secure.Scm;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Pas;

/// <summary>
/// PIL (SVC 0x02): TrustZone's Peripheral Authentication Service (spec/scm-pas.md §2, firmware-formats.md
/// §4.3) for the peripherals the board registers. Per PAS id: INIT_IMAGE copies and authenticates the
/// metadata → optional MEM_SETUP → AUTH_AND_RESET re-hashes every segment in place, locks the carveout to
/// the DSP's VMID and releases the core → SHUTDOWN stops the core and unlocks (optionally scrubbing). Service refusals
/// answer x0 = 0 and a <see cref="PasErrors"/> code in x1; malformed calls a negative x0. Every refusal is
/// a <see cref="PasEvent"/> with its reason (<see cref="Traced"/>, <see cref="LastError"/>).
/// Register with <see cref="AddTo"/>, which also adds SET_REMOTE_STATE (BOOT 0x0A).
/// </summary>
[ScmService(ScmCatalog.Pil)]
public sealed partial class PasService
{
    public const byte InitImageCommand = 0x01;
    public const byte MemSetupCommand = 0x02;
    public const byte AuthAndResetCommand = 0x05;
    public const byte ShutdownCommand = 0x06;
    public const byte IsSupportedCommand = 0x07;
    public const byte MssResetCommand = 0x0A;
    public const byte GetResourceTableCommand = 0x21;

    private const int EventHistory = 1024;
    private readonly SecureWorld _world;
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, PasSession> _sessions = [];
    private readonly Queue<PasEvent> _events = new();

    // Verification results are pure functions of key, message and signature: remembering them saves the
    // host's time on every re-authentication (recovery reloads) without changing any answer.

    public PasService(SecureWorld world, SecureBootFuses fuses, IEnumerable<PasPeripheral> peripherals)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(fuses);
        ArgumentNullException.ThrowIfNull(peripherals);
        _world = world;
        Fuses = fuses;
        foreach (var p in peripherals)
        {
            if (!_sessions.TryAdd(p.PasId, new PasSession(p)))
                throw new ArgumentException($"PAS id {p.PasId} is registered twice ({_sessions[p.PasId].Peripheral.Name} and {p.Name})", nameof(peripherals));
            if (p.ExpectedSoftwareId is null && !PasSoftwareIds.TryGet(p.PasId, out _, out _))
                throw new ArgumentException($"PAS id {p.PasId} ({p.Name}) has no known SW_ID; set ExpectedSoftwareId", nameof(peripherals));
        }

        RemoteState = new RemoteStateService(this);
    }

    public SecureBootFuses Fuses { get; }

    /// <summary>
    /// PAS ids of "lite" images (spec/socs.md §2.2) a bootloader may have started: SHUTDOWN of one that is
    /// not a peripheral here answers success (nothing runs), the way Linux expects; other calls stay refused.
    /// </summary>
    public IReadOnlyCollection<uint> LiteIds { get; init; } = [];

    /// <summary>The board's modem (its PAS id), if it has one: MSS_RESET is then accepted; without one it is refused.</summary>
    public uint? ModemPasId { get; init; }

    /// <summary>
    /// Remembers INIT_IMAGE's public-key checks by the exact bytes checked (key, signed data, signature),
    /// so a board that authenticates the same images again (fuzzing, soak) pays for each signature once.
    /// A hit is the answer a fresh check gives; null checks afresh every time. Bounded by default.
    /// </summary>
    public SignatureCheckCache? SignatureCache { get; init; } = new(capacity: 4096);

    /// <summary>
    /// Whether SHUTDOWN zeroes the carveout before handing it back to HLOS. Off by default: what TZ does
    /// with the memory is UNCONFIRMED, but Linux's recovery takes its coredump after SHUTDOWN
    /// (rproc_boot_recovery: stop, coredump, reload; downstream subsystem_restart likewise: shutdown,
    /// ramdump, powerup) and those dumps hold the DSP's memory, so TZ returns it as it was. On models a
    /// TZ that will not let a stopped image's bytes reach HLOS (its coredumps are then all zeros).
    /// </summary>
    public bool ScrubOnShutdown { get; set; }

    /// <summary>BOOT.SET_REMOTE_STATE, registered by <see cref="AddTo"/>.</summary>
    public RemoteStateService RemoteState { get; }

    public IReadOnlyList<PasPeripheral> Peripherals => [.. _sessions.Values.Select(s => s.Peripheral).OrderBy(p => p.PasId)];

    /// <summary>Raised for every PAS call outcome (successes, refusals and enforcement-off warnings).</summary>
    public event Action<PasEvent>? Traced;

    /// <summary>The most recent events (up to 1024).</summary>
    public IReadOnlyList<PasEvent> Events
    {
        get { lock (_gate) return [.. _events]; }
    }

    /// <summary>Metadata blobs TZ currently holds locked in secure memory (leak check: 0 after every stop).</summary>
    public int LockedMetadataCount
    {
        get { lock (_gate) return _sessions.Values.Count(s => s.Image is not null); }
    }

    /// <summary>Carveouts currently locked against non-secure access.</summary>
    public int LockedCarveoutCount
    {
        get { lock (_gate) return _sessions.Values.Count(s => s.CarveoutLocked); }
    }

    public PasState StateOf(uint pasId)
    {
        lock (_gate) return _sessions.TryGetValue(pasId, out var s) ? s.State : PasState.Idle;
    }

    public bool IsCarveoutLocked(uint pasId)
    {
        lock (_gate) return _sessions.TryGetValue(pasId, out var s) && s.CarveoutLocked;
    }

    /// <summary>Why the last refused call for <paramref name="pasId"/> was refused, or null.</summary>
    public PasEvent? LastError(uint pasId)
    {
        lock (_gate) return _sessions.TryGetValue(pasId, out var s) ? s.LastError : null;
    }

    /// <summary>Registers PIL and BOOT.SET_REMOTE_STATE.</summary>
    public ScmServiceTable.Builder AddTo(ScmServiceTable.Builder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(this).Add(RemoteState);
    }

    [ScmCommand(IsSupportedCommand)]
    public ScmReply IsSupported(ScmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = (uint)request.Arg(0);
        bool known;
        lock (_gate) known = _sessions.ContainsKey(id);
        return ScmReply.Ok(known ? 1UL : 0UL);
    }

    /// <summary>MSS_RESET (a0 = 1 assert / 0 deassert): the modem's reset line; refused on a board without a modem.</summary>
    [ScmCommand(MssResetCommand)]
    public ScmReply MssReset(ScmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ModemPasId is not { } modem) return Refuse(null, 0, "MSS_RESET", ScmStatus.Success, PasErrors.NoModem, "this board has no modem subsystem to reset");
        var assert = request.Arg(0) != 0;
        lock (_gate)
        {
            if (_sessions.TryGetValue(modem, out var session) && assert) session.Peripheral.Core?.AssertReset();
            Record(new PasEvent(_world.Clock.Now, modem, "MSS_RESET", ScmStatus.Success, PasErrors.None, assert ? "modem reset asserted" : "modem reset deasserted (the MBA path is not modelled)"));
        }

        return ScmReply.Ok();
    }

    /// <summary>Runs <paramref name="body"/> on the session of argument 0, under the service lock; unknown ids answer EINVAL_ARG.</summary>
    private ScmReply WithSession(ScmRequest request, string call, Func<PasSession, ScmReply> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = (uint)request.Arg(0);
        lock (_gate)
        {
            if (!_sessions.TryGetValue(id, out var session))
            {
                if (call == "SHUTDOWN" && LiteIds.Contains(id))
                {
                    Record(new PasEvent(_world.Clock.Now, id, call, ScmStatus.Success, PasErrors.None, "lite image: nothing running"));
                    return ScmReply.Ok();
                }

                return Refuse(null, id, call, ScmStatus.InvalidArgument, 0, $"PAS id {id} is not a peripheral of this board");
            }

            return body(session);
        }
    }

    private ScmReply Refuse(PasSession? session, uint pasId, string call, long status, ulong code, string reason)
    {
        var e = new PasEvent(_world.Clock.Now, session?.Peripheral.PasId ?? pasId, call, status, code, reason);
        if (session is not null) session.LastError = e;
        Record(e);
        return status != ScmStatus.Success ? ScmReply.Fail(status) : ScmReply.ServiceError(code);
    }

    private ScmReply Succeed(PasSession session, string call, string detail = "", ulong r0 = 0, ulong r1 = 0, ulong r2 = 0)
    {
        Record(new PasEvent(_world.Clock.Now, session.Peripheral.PasId, call, ScmStatus.Success, PasErrors.None, detail));
        return ScmReply.Ok(r0, r1, r2);
    }

    private void Warn(PasSession session, string call, string reason) =>
        Record(new PasEvent(_world.Clock.Now, session.Peripheral.PasId, call, ScmStatus.Success, PasErrors.None, "secure boot not enforced, ignoring: " + reason));

    private void Record(PasEvent e)
    {
        lock (_gate)
        {
            if (_events.Count == EventHistory) _events.Dequeue();
            _events.Enqueue(e);
        }

        Traced?.Invoke(e);
    }
}

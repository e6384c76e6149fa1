using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Scm;

/// <summary>
/// The secure monitor's SCM entry (EL3): decodes x0 (fast/std, SMC32/64, owner, service, command) and
/// x1 (arginfo), fetches arguments 3..9 from the ext-args buffer at x5 when there are more than four,
/// and routes to the handler registered for (service, command). It answers IS_CALL_AVAIL itself,
/// truthfully, from the same table. Status conventions (spec/scm-pas.md §1.6): an unknown function ID
/// (any owner but SiP, or an unregistered (svc, cmd)) gets SMCCC NOT_SUPPORTED = -1; more than 10
/// arguments EINVAL_ARG; an unreadable ext-args buffer EINVAL_ADDR. INTERRUPTED replies carry a
/// session word in x6; the caller resumes with x0 = 1 and that word. Total for any register values.
/// TrustZone runs one SCM call at a time: calls from several CPUs queue on one lock here (the kernel's
/// qcom_scm_lock already serialises one client's yielding calls, but atomic calls, QHEE's forwarded calls
/// and other masters' raw SMCs do not take it). While a call runs, the clock fires no events on its CPU
/// (time still passes; a DSP's timer due meanwhile fires once the call has returned), so normal-world
/// work cannot run inside the secure world. A call that re-enters TZ from inside a call on the same CPU
/// is a wiring bug of the model and throws.
/// </summary>
public sealed class ScmDispatcher : ISecureMonitor
{
    private const int MaxPendingSessions = 256;
    private readonly SecureWorld _world;
    private readonly ScmServiceTable _services;
    private readonly Lock _sessionGate = new();
    private readonly Lock _serial = new();
    private readonly Dictionary<ulong, FunctionId> _sessions = [];
    private readonly Queue<ulong> _sessionOrder = new();
    private ulong _nextSession = 0x5E55_0001;
    private long _callCount;

    public ScmDispatcher(SecureWorld world, ScmServiceTable services)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(services);
        if (services.Contains(ScmCatalog.Info, ScmCatalog.IsCallAvailable))
            throw new ArgumentException("INFO.IS_CALL_AVAIL is answered by the dispatcher itself; do not register it");
        _world = world;
        _services = services;
    }

    public SecureWorld World => _world;

    public ScmFaultInjector Faults { get; } = new();

    /// <summary>False models a 32-bit-only TZ: SMC64 IDs are unknown, so the client's probe falls back to ARM_32.</summary>
    public bool Smc64Supported { get; init; } = true;

    /// <summary>What IS_CALL_AVAIL answers for (service, command).</summary>
    public bool IsAvailable(byte service, byte command) =>
        (service == ScmCatalog.Info && command == ScmCatalog.IsCallAvailable) || _services.Contains(service, command);

    /// <summary>INTERRUPTED calls not resumed yet (a client that gives up on one leaves it here until it ages out).</summary>
    public int PendingSessions
    {
        get { lock (_sessionGate) return _sessions.Count; }
    }

    /// <summary>SCM calls handled since power-on.</summary>
    public long CallCount => Interlocked.Read(ref _callCount);

    public SmcResult Handle(in SmcCall call)
    {
        if (_serial.IsHeldByCurrentThread)
            throw new InvalidOperationException($"SMC 0x{call.X0:x} re-entered TrustZone from inside an SCM call on the same CPU (a clock event ran kernel work inside TZ?)");
        lock (_serial)
        {
            Interlocked.Increment(ref _callCount);
            using var secure = _world.Clock.DeferEventsOnCurrentThread();
            return HandleSerialised(call);
        }
    }

    private SmcResult HandleSerialised(in SmcCall call)
    {
        FunctionId id;
        if (call.X0 == ScmStatus.ResumeFunctionId)
        {
            if (!TryResume(call.X6, out id)) return SmcResult.FromStatus(ScmStatus.Error);
        }
        else
        {
            id = call.FunctionId;
        }

        if (!id.IsScm || (id.Is64 && !Smc64Supported)) return SmcResult.FromStatus(ScmStatus.Error);
        ScmHandler? handler;
        if (id.Service == ScmCatalog.Info && id.Command == ScmCatalog.IsCallAvailable) handler = IsCallAvailable;
        else if (!_services.TryGet(id.Service, id.Command, out handler)) return SmcResult.FromStatus(ScmStatus.Error);
        if (call.ArgInfo.Count > ArgInfo.MaxArgs) return SmcResult.FromStatus(ScmStatus.InvalidArgument);

        if (Faults.TryTake(id.Service, id.Command, out var fault))
            return fault == ScmFault.Busy ? SmcResult.FromStatus(ScmStatus.Busy) : Interrupt(id);

        var args = new ulong[ArgInfo.MaxArgs];
        var status = FetchArguments(call, id, args);
        if (status != ScmStatus.Success) return SmcResult.FromStatus(status);

        var reply = handler(new ScmRequest(_world, call, id, args));
        if (reply.Status == ScmStatus.Interrupted) return Interrupt(id);
        return id.Is64
            ? new SmcResult((ulong)reply.Status, reply.Result0, reply.Result1, reply.Result2)
            : new SmcResult((ulong)reply.Status, (uint)reply.Result0, (uint)reply.Result1, (uint)reply.Result2);
    }

    private ScmReply IsCallAvailable(ScmRequest request)
    {
        var asked = FunctionId.FromRegister(request.Arg(0));
        return ScmReply.Ok(asked.IsScm && IsAvailable(asked.Service, asked.Command) ? 1UL : 0UL);
    }

    /// <summary>args[0..2] from x2..x4; args[3] from x5, or args[3..9] from the ext-args buffer x5 points at.</summary>
    private long FetchArguments(in SmcCall call, FunctionId id, ulong[] args)
    {
        var info = call.ArgInfo;
        var mask = id.Is64 ? ulong.MaxValue : uint.MaxValue;
        for (var i = 0; i < ArgInfo.RegisterArgs; i++)
            args[i] = call.RegisterArg(i) & mask;
        if (!info.UsesExtArgs) return ScmStatus.Success;

        Span<byte> ext = stackalloc byte[ScmExtArgs.SizeInBytes(SmcConvention.Smc64)];
        ext = ext[..ScmExtArgs.SizeInBytes(id.Convention)];
        var address = new PhysAddr(call.X5 & mask);
        var status = _world.CheckNonSecureBuffer(call.Caller, address, (ulong)ext.Length, ScmBufferAccess.ReadOnly);
        if (status != ScmStatus.Success) return status;
        if (_world.Bus.Read(SecureWorld.Master, address, ext) != BusStatus.Ok) return ScmStatus.InvalidAddress;
        for (var e = 0; e < ScmExtArgs.Entries; e++)
            args[ScmExtArgs.FirstArg + e] = ScmExtArgs.Decode(ext, id.Convention, e);
        return ScmStatus.Success;
    }

    private SmcResult Interrupt(FunctionId id)
    {
        lock (_sessionGate)
        {
            var session = _nextSession++;
            _sessions[session] = id;
            _sessionOrder.Enqueue(session);
            while (_sessionOrder.Count > MaxPendingSessions) _sessions.Remove(_sessionOrder.Dequeue());
            return new SmcResult((ulong)ScmStatus.Interrupted, X6: session);
        }
    }

    private bool TryResume(ulong session, out FunctionId id)
    {
        lock (_sessionGate) return _sessions.Remove(session, out id);
    }
}

using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Secure.Scm;
using Qtz.Secure.Pas;

namespace Qtz.Secure.Tee;

/// <summary>
/// The OP-TEE core as the normal world sees it (optee_msg.h): OPTEE_SMC_CALL_WITH_ARG with a
/// <c>struct optee_msg_arg</c> in non-secure memory; OPEN_SESSION by TA UUID with the login in the meta
/// parameters, INVOKE_COMMAND with up to four value/memref parameters, CLOSE_SESSION, and dynamic shared
/// memory registered from non-secure RAM (REGISTER_SHM / UNREGISTER_SHM). The message and every buffer
/// must be non-secure RAM the caller may use (else OPTEE_SMC_RETURN_EBADADDR, or TEE_ERROR_BAD_PARAMETERS
/// for a parameter). One call at a time; clock events are deferred while a call runs, as in the SCM
/// dispatcher. The TA's answer is the TEE result with origin TRUSTED_APP; the core's own refusals carry
/// origin TEE. Every message except shared-memory bookkeeping is one <see cref="OpteeEvent"/>.
/// </summary>
public sealed class OpteeOs
{
    private readonly SecureWorld _world;
    private readonly Lock _serial = new();
    private readonly List<ITrustedApplication> _apps = [];
    private readonly Dictionary<uint, ITrustedApplication> _sessions = [];
    private readonly Dictionary<ulong, PhysRange> _shm = [];
    private uint _nextSession = 1;

    public OpteeOs(SecureWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        _world = world;
    }

    public event Action<OpteeEvent>? Traced;

    public int OpenSessions
    {
        get { lock (_serial) return _sessions.Count; }
    }

    public int RegisteredShm
    {
        get { lock (_serial) return _shm.Count; }
    }

    /// <summary>Installs a TA (an early TA: present from boot, found by UUID).</summary>
    public OpteeOs Add(ITrustedApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        lock (_serial) _apps.Add(app);
        return this;
    }

    public SmcResult Handle(in SmcCall call)
    {
        if (call.FunctionId.Value != OpteeMsg.CallWithArg.Value) return SmcResult.FromStatus(ScmStatus.Error);
        if (_serial.IsHeldByCurrentThread)
            throw new InvalidOperationException("an OP-TEE call re-entered the secure OS on the same CPU");
        lock (_serial)
        {
            using var secure = _world.Clock.DeferEventsOnCurrentThread();
            return new SmcResult(HandleMessage(call.Caller, OpteeMsg.ArgAddress(call)));
        }
    }

    private ulong HandleMessage(BusMaster caller, PhysAddr at)
    {
        Span<byte> head = stackalloc byte[OpteeMsg.HeaderSize];
        if (!Readable(caller, at, OpteeMsg.HeaderSize) || _world.Bus.Read(SecureWorld.Master, at, head) != BusStatus.Ok) return OpteeMsg.ReturnBadAddress;
        var header = OpteeMsgHeader.Parse(head);
        if (header.NumParams > OpteeMsg.MaxParams) return OpteeMsg.ReturnBadCommand;
        var size = OpteeMsg.ArgSize((int)header.NumParams);
        var message = new byte[size];
        if (!Readable(caller, at, (ulong)size) || _world.Bus.Read(SecureWorld.Master, at, message) != BusStatus.Ok) return OpteeMsg.ReturnBadAddress;
        var parameters = OpteeMsg.DecodeParams(message, (int)header.NumParams);

        var answer = header.Cmd switch
        {
            OpteeMsg.CmdOpenSession => OpenSession(caller, header, parameters),
            OpteeMsg.CmdInvokeCommand => Invoke(caller, header, parameters),
            OpteeMsg.CmdCloseSession => CloseSession(header),
            OpteeMsg.CmdRegisterShm => RegisterShm(caller, header, parameters),
            OpteeMsg.CmdUnregisterShm => UnregisterShm(header, parameters),
            _ => ((OpteeMsgHeader, OpteeMsgParam[])?)null,
        };
        if (answer is null) return OpteeMsg.ReturnBadCommand;

        var (reply, back) = answer.Value;
        message = OpteeMsg.Encode(reply, back);
        return _world.Bus.Write(SecureWorld.Master, at, message) == BusStatus.Ok ? OpteeMsg.ReturnOk : OpteeMsg.ReturnBadAddress;
    }

    private (OpteeMsgHeader, OpteeMsgParam[])? OpenSession(BusMaster caller, OpteeMsgHeader header, OpteeMsgParam[] p)
    {
        if (p.Length < 2 || !p[0].IsMeta || !p[1].IsMeta || p[0].Type != OpteeParamType.ValueInput || p[1].Type != OpteeParamType.ValueInput)
            return Done(header, p, TeeResult.BadParameters, TeeResult.OriginTee, "open session", null, "without the UUID and login meta parameters");
        var uuid = new byte[16];
        BitConverter.TryWriteBytes(uuid, p[0].A);
        BitConverter.TryWriteBytes(uuid.AsSpan(8), p[0].B);
        var login = (uint)p[1].C;
        var app = _apps.FirstOrDefault(a => a.Uuid.SequenceEqual(uuid));
        var detail = $"uuid={new Guid(uuid, bigEndian: true)} login=0x{login:x}";
        if (app is null) return Done(header, p, TeeResult.ItemNotFound, TeeResult.OriginTee, "open session", null, detail);
        var ret = app.OpenSession(login);
        if (ret != TeeResult.Success) return Done(header, p, ret, TeeResult.OriginTrustedApp, "open session", app.Name, detail);
        var session = _nextSession++;
        _sessions[session] = app;
        return Done(header with { Session = session }, p, TeeResult.Success, TeeResult.OriginTrustedApp, "open session", app.Name, detail + $" session={session}");
    }

    private (OpteeMsgHeader, OpteeMsgParam[])? Invoke(BusMaster caller, OpteeMsgHeader header, OpteeMsgParam[] p)
    {
        if (!_sessions.TryGetValue(header.Session, out var app))
            return Done(header, p, TeeResult.BadParameters, TeeResult.OriginTee, "invoke", null, $"session {header.Session} is not open");
        var parameters = new TaParam[4];
        for (var i = 0; i < parameters.Length; i++)
        {
            var why = "";
            var param = i < p.Length ? Resolve(caller, p[i], out why) : new TaParam();
            if (param is null) return Done(header, p, TeeResult.BadParameters, TeeResult.OriginTee, "invoke", app.Name, $"param {i}: {why}");
            parameters[i] = param;
        }

        var detail = app.Describe(header.Func, parameters);
        var ret = app.Invoke(header.Func, parameters);
        for (var i = 0; i < p.Length; i++) p[i] = WriteBack(p[i], parameters[i]);
        return Done(header, p, ret, TeeResult.OriginTrustedApp, "invoke", app.Name, detail);
    }

    private (OpteeMsgHeader, OpteeMsgParam[])? CloseSession(OpteeMsgHeader header)
    {
        var known = _sessions.Remove(header.Session, out var app);
        return Done(header, [], known ? TeeResult.Success : TeeResult.BadParameters, TeeResult.OriginTee, "close session", app?.Name, $"session={header.Session}");
    }

    private (OpteeMsgHeader, OpteeMsgParam[])? RegisterShm(BusMaster caller, OpteeMsgHeader header, OpteeMsgParam[] p)
    {
        if (p.Length != 1 || !p[0].IsTmem) return Quiet(header, p, TeeResult.BadParameters);
        if (!PhysRange.TryCreate(p[0].A, p[0].B, out var range) || !Readable(caller, range.Base, range.Size) || _shm.ContainsKey(p[0].C))
            return Quiet(header, p, TeeResult.BadParameters);
        _shm[p[0].C] = range;
        return Quiet(header, p, TeeResult.Success);
    }

    private (OpteeMsgHeader, OpteeMsgParam[])? UnregisterShm(OpteeMsgHeader header, OpteeMsgParam[] p) =>
        Quiet(header, p, p.Length == 1 && p[0].IsRmem && _shm.Remove(p[0].C) ? TeeResult.Success : TeeResult.BadParameters);

    /// <summary>A message parameter as the TA sees it; null with the reason when a memref names memory the caller may not use.</summary>
    private TaParam? Resolve(BusMaster caller, OpteeMsgParam p, out string why)
    {
        why = "";
        var type = TaParam.TypeOf(p.Type);
        if (p.IsMeta) { why = "a meta parameter outside OPEN_SESSION"; return null; }
        if (p.IsRmem)
        {
            if (!_shm.TryGetValue(p.C, out var shm)) { why = $"shm_ref 0x{p.C:x} is not registered"; return null; }
            if (p.A > shm.Size || p.B > shm.Size - p.A) { why = $"[+0x{p.A:x}, +0x{p.B:x}) lies outside the 0x{shm.Size:x}-byte shm 0x{p.C:x}"; return null; }
            return new TaParam { Type = type, Buffer = shm.Base + p.A, Size = p.B };
        }

        if (p.IsTmem)
        {
            if (p.A == 0) return new TaParam { Type = type, Size = p.B };
            if (!Readable(caller, new PhysAddr(p.A), Math.Max(p.B, 1))) { why = $"buffer 0x{p.A:x}+0x{p.B:x} is not non-secure RAM the caller may use"; return null; }
            return new TaParam { Type = type, Buffer = new PhysAddr(p.A), Size = p.B };
        }

        return new TaParam { Type = type, A = p.A, B = p.B, C = p.C };
    }

    /// <summary>Outputs back into the message: values for value-out/inout, the size for memref-out/inout.</summary>
    private static OpteeMsgParam WriteBack(OpteeMsgParam p, TaParam t) => t.Type switch
    {
        TaParamType.ValueOutput or TaParamType.ValueInout => p with { A = t.A, B = t.B, C = t.C },
        TaParamType.MemrefOutput or TaParamType.MemrefInout => p with { B = t.Size },
        _ => p,
    };

    private (OpteeMsgHeader, OpteeMsgParam[]) Done(OpteeMsgHeader header, OpteeMsgParam[] p, uint ret, uint origin, string command, string? ta, string? detail)
    {
        Traced?.Invoke(new OpteeEvent(_world.Clock.Now, command, ta, detail, ret, origin));
        return (header with { Ret = ret, RetOrigin = origin }, p);
    }

    private static (OpteeMsgHeader, OpteeMsgParam[]) Quiet(OpteeMsgHeader header, OpteeMsgParam[] p, uint ret) =>
        (header with { Ret = ret, RetOrigin = TeeResult.OriginTee }, p);

    private bool Readable(BusMaster caller, PhysAddr address, ulong length) =>
        _world.CheckNonSecureRam(caller, address, length, ScmBufferAccess.ReadWrite) == ScmStatus.Success;
}

using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tee;

/// <summary>What a TEE call returned besides the errno: the TEE result and where it came from (tee_ioctl_*_arg ret/ret_origin).</summary>
public readonly record struct TeeInvokeResult(uint Ret, uint Origin)
{
    public bool Ok => Ret == TeeResult.Success;

    public override string ToString() => Ok ? "TEE_SUCCESS" : $"{TeeResult.Name(Ret)} (origin {Origin})";
}

/// <summary>
/// The kernel's TEE client interface over Linux's OP-TEE driver (tee_client_open_context,
/// tee_client_open_session, tee_client_invoke_func, tee_client_close_session, tee_shm_alloc_kernel_buf):
/// every call is one <c>struct optee_msg_arg</c> written into DMA memory and one
/// OPTEE_SMC_CALL_WITH_ARG through the SMC conduit, as the real driver does. Returns 0 or a negative
/// errno for transport failures (the message could not be delivered); the TEE's own answer comes back
/// in <see cref="TeeInvokeResult"/>. Dynamic shared memory is registered as one contiguous range (Linux
/// sends a page list; the secure OS sees the same pages either way).
/// </summary>
public sealed class OpteeClient
{
    private readonly SmcConduit _conduit;
    private readonly DmaCoherentMemory _dma;
    private readonly Lock _gate = new();
    private ulong _nextCookie = 0x5e3_0001;
    private int _liveShm;

    public OpteeClient(SmcConduit conduit, SystemBus bus, BusMaster cpu, DmaCoherentMemory dma)
    {
        ArgumentNullException.ThrowIfNull(conduit);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(dma);
        _conduit = conduit;
        _dma = dma;
        Bus = bus;
        Cpu = cpu;
    }

    public SystemBus Bus { get; }

    public BusMaster Cpu { get; }

    /// <summary>Shared-memory buffers registered and not freed yet (leak check).</summary>
    public int LiveShm => Volatile.Read(ref _liveShm);

    /// <summary>tee_client_open_session: the TA by UUID, the login method in the meta parameters.</summary>
    public int OpenSession(ReadOnlySpan<byte> uuid, uint login, out uint session, out TeeInvokeResult result)
    {
        if (uuid.Length != 16) throw new ArgumentException("a TA UUID is 16 bytes", nameof(uuid));
        var a = BitConverter.ToUInt64(uuid[..8]);
        var b = BitConverter.ToUInt64(uuid[8..]);
        Span<OpteeMsgParam> meta =
        [
            new(OpteeMsg.AttrMeta | (ulong)OpteeParamType.ValueInput, a, b, 0),
            new(OpteeMsg.AttrMeta | (ulong)OpteeParamType.ValueInput, 0, 0, login),
        ];
        var ret = Send(new OpteeMsgHeader(OpteeMsg.CmdOpenSession, 0, 0, 0, 0, 0, 2), meta, out var header, out _);
        session = header.Session;
        result = new TeeInvokeResult(header.Ret, header.RetOrigin);
        return ret;
    }

    /// <summary>tee_client_invoke_func: up to four parameters; outputs are written back into <paramref name="parameters"/>.</summary>
    public int Invoke(uint session, uint function, IReadOnlyList<TeeParam> parameters, out TeeInvokeResult result)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count > 4) throw new ArgumentException("tee_client_invoke_func takes at most 4 parameters", nameof(parameters));
        Span<OpteeMsgParam> msg = stackalloc OpteeMsgParam[parameters.Count];
        for (var i = 0; i < parameters.Count; i++) msg[i] = parameters[i].ToMsg();
        var ret = Send(new OpteeMsgHeader(OpteeMsg.CmdInvokeCommand, function, session, 0, 0, 0, (uint)parameters.Count), msg, out var header, out var back);
        result = new TeeInvokeResult(header.Ret, header.RetOrigin);
        if (ret == 0)
        {
            for (var i = 0; i < parameters.Count; i++) parameters[i].FromMsg(back[i]);
        }

        return ret;
    }

    public int CloseSession(uint session) =>
        Send(new OpteeMsgHeader(OpteeMsg.CmdCloseSession, 0, session, 0, 0, 0, 0), [], out _, out _);

    /// <summary>tee_shm_alloc_kernel_buf: DMA memory registered with the secure OS; null when either refuses.</summary>
    public TeeShm? AllocShm(ulong size)
    {
        if (size == 0 || !_dma.TryAllocate(size, out var block)) return null;
        ulong cookie;
        lock (_gate) cookie = _nextCookie++;
        Span<OpteeMsgParam> p = [new((ulong)OpteeParamType.TmemInout, block.Base.Value, block.Size, cookie)];
        var ret = Send(new OpteeMsgHeader(OpteeMsg.CmdRegisterShm, 0, 0, 0, 0, 0, 1), p, out var header, out _);
        if (ret != 0 || header.Ret != TeeResult.Success)
        {
            _dma.Free(block);
            return null;
        }

        Interlocked.Increment(ref _liveShm);
        return new TeeShm(this, block, cookie);
    }

    /// <summary>tee_shm_free: unregister, then give the pages back. Idempotent.</summary>
    public void FreeShm(TeeShm? shm)
    {
        if (shm is null || shm.Freed) return;
        shm.Freed = true;
        Span<OpteeMsgParam> p = [new((ulong)OpteeParamType.RmemInput, 0, 0, shm.Cookie)];
        Send(new OpteeMsgHeader(OpteeMsg.CmdUnregisterShm, 0, 0, 0, 0, 0, 1), p, out _, out _);
        _dma.Free(shm.Range);
        Interlocked.Decrement(ref _liveShm);
    }

    /// <summary>One message: write it, OPTEE_SMC_CALL_WITH_ARG, read it back. -EIO when the secure OS refuses the SMC itself.</summary>
    private int Send(OpteeMsgHeader header, ReadOnlySpan<OpteeMsgParam> parameters, out OpteeMsgHeader answer, out OpteeMsgParam[] back)
    {
        answer = header with { Ret = TeeResult.Generic, RetOrigin = TeeResult.OriginComms };
        back = new OpteeMsgParam[parameters.Length];
        var size = OpteeMsg.ArgSize(parameters.Length);
        if (!_dma.TryAllocate((ulong)size, out var block)) return -(int)Errno.ENOMEM;
        try
        {
            var buffer = OpteeMsg.Encode(header, parameters);
            if (Bus.Write(Cpu, block.Base, buffer) != BusStatus.Ok) return -(int)Errno.EIO;
            var phys = block.Base.Value;
            var result = _conduit.Smc(new SmcCall(Cpu, OpteeMsg.CallWithArg.Value, phys >> 32, phys & 0xFFFF_FFFF));
            if (result.X0 != OpteeMsg.ReturnOk) return -(int)Errno.EIO;
            if (Bus.Read(Cpu, block.Base, buffer) != BusStatus.Ok) return -(int)Errno.EIO;
            answer = OpteeMsgHeader.Parse(buffer);
            back = OpteeMsg.DecodeParams(buffer, parameters.Length);
            return 0;
        }
        finally
        {
            _dma.Free(block);
        }
    }
}

using Qtz.Kernel;
using Qtz.Kernel.Tee;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tests.Pas;

/// <summary>One message as the fake secure OS decoded it from memory, with the bytes a memref named when it arrived.</summary>
internal sealed record SentMessage(OpteeMsgHeader Header, OpteeMsgParam[] Params, byte[]?[] MemrefBytes);

/// <summary>
/// A scripted OP-TEE for backend tests (the kernel tests cannot see Qtz.Secure): it decodes every
/// OPTEE_SMC_CALL_WITH_ARG message from memory, records it, opens sessions, registers shared memory,
/// and lets <see cref="Invoke"/> answer each INVOKE (set the result, change output params).
/// </summary>
internal sealed class FakeOptee : ISecureMonitor
{
    public static readonly PhysRange Dma = new(new PhysAddr(0xA000_0000), 0x10_0000);

    private readonly Dictionary<ulong, PhysRange> _shm = [];

    public FakeOptee()
    {
        var clock = new VirtualClock(1);
        Bus = new SystemBus(clock);
        Bus.AddRam("ddr", new PhysAddr(0x8000_0000), 0x4000_0000);
        Conduit = new SmcConduit(Bus);
        Conduit.Attach(this);
        Client = new OpteeClient(Conduit, Bus, BusMaster.LinuxEl2, new DmaCoherentMemory(Dma));
    }

    public SystemBus Bus { get; }

    public SmcConduit Conduit { get; }

    public OpteeClient Client { get; }

    public List<SentMessage> Sent { get; } = [];

    public IEnumerable<SentMessage> Invokes => Sent.Where(m => m.Header.Cmd == OpteeMsg.CmdInvokeCommand);

    /// <summary>Answers an INVOKE: returns the TEE result, may change the params (outputs).</summary>
    public Func<OpteeMsgHeader, OpteeMsgParam[], uint> Invoke { get; set; } = (_, _) => TeeResult.Success;

    public uint OpenSessionResult { get; set; } = TeeResult.Success;

    /// <summary>When set, every SMC answers this x0 instead of OPTEE_SMC_RETURN_OK (the message is not touched).</summary>
    public ulong? SmcFailure { get; set; }

    public SmcResult Handle(in SmcCall call)
    {
        if (SmcFailure is { } failure) return new SmcResult(failure);
        var at = OpteeMsg.ArgAddress(call);
        var head = new byte[OpteeMsg.HeaderSize];
        Bus.Read(BusMaster.SecureWorld, at, head);
        var header = OpteeMsgHeader.Parse(head);
        var message = new byte[OpteeMsg.ArgSize((int)header.NumParams)];
        Bus.Read(BusMaster.SecureWorld, at, message);
        var p = OpteeMsg.DecodeParams(message, (int)header.NumParams);
        var bytes = p.Select(MemrefBytes).ToArray();

        Sent.Add(new SentMessage(header, [.. p], bytes));
        var ret = header.Cmd switch
        {
            OpteeMsg.CmdOpenSession => OpenSessionResult,
            OpteeMsg.CmdRegisterShm => Register(p[0]),
            OpteeMsg.CmdUnregisterShm => _shm.Remove(p[0].C) ? TeeResult.Success : TeeResult.BadParameters,
            OpteeMsg.CmdInvokeCommand => Invoke(header, p),
            _ => TeeResult.Success,
        };
        if (header.Cmd == OpteeMsg.CmdOpenSession) header = header with { Session = 7 };
        Bus.Write(BusMaster.SecureWorld, at, OpteeMsg.Encode(header with { Ret = ret, RetOrigin = TeeResult.OriginTrustedApp }, p));
        return new SmcResult(OpteeMsg.ReturnOk);
    }

    /// <summary>Writes <paramref name="data"/> where an RMEM parameter points (a TA filling an output buffer).</summary>
    public void WriteMemref(OpteeMsgParam p, ReadOnlySpan<byte> data) => Bus.Write(BusMaster.SecureWorld, _shm[p.C].Base + p.A, data);

    private uint Register(OpteeMsgParam p)
    {
        _shm[p.C] = new PhysRange(new PhysAddr(p.A), p.B);
        return TeeResult.Success;
    }

    private byte[]? MemrefBytes(OpteeMsgParam p)
    {
        if (!p.IsRmem || !_shm.TryGetValue(p.C, out var shm)) return null;
        var data = new byte[p.B];
        Bus.Read(BusMaster.SecureWorld, shm.Base + p.A, data);
        return data;
    }
}

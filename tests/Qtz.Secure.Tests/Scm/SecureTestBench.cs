using Xunit;
using System.Buffers.Binary;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Secure.HypAssign;
using Qtz.Secure.Scm;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Secure.Tests.Scm;

/// <summary>A bus with DDR, TZ's dispatcher with the standard services plus <see cref="EchoService"/>, and helpers to issue raw SMCs.</summary>
internal sealed class SecureTestBench
{
    public static readonly PhysAddr DdrBase = new(0x8000_0000);
    public const ulong DdrSize = 0x1000_0000;

    public SecureTestBench(Action<ScmServiceTable.Builder>? extra = null, ShmBridgeSupport support = ShmBridgeSupport.Supported)
    {
        Clock = new VirtualClock();
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", DdrBase, DdrSize);
        World = new SecureWorld(Bus);
        Bridges = new ShmBridgeService(World, support);
        HypAssign = new HypAssignService(World);
        Echo = new EchoService();
        var builder = new ScmServiceTable.Builder().Add(Bridges).Add(HypAssign).Add(Echo);
        extra?.Invoke(builder);
        Dispatcher = new ScmDispatcher(World, builder.Build());
    }

    public VirtualClock Clock { get; }

    public SystemBus Bus { get; }

    public SecureWorld World { get; }

    public ShmBridgeService Bridges { get; }

    public HypAssignService HypAssign { get; }

    public EchoService Echo { get; }

    public ScmDispatcher Dispatcher { get; }

    public static BusMaster Linux => BusMaster.LinuxEl2;

    public SmcResult Std64(byte service, byte command, ArgInfo argInfo, params ulong[] args) =>
        Smc(FunctionId.Create(SmcCallType.Std, SmcConvention.Smc64, SmcOwner.Sip, service, command), argInfo, args);

    public SmcResult Smc(FunctionId id, ArgInfo argInfo, params ulong[] args)
    {
        var a = new ulong[4];
        args.AsSpan(0, Math.Min(4, args.Length)).CopyTo(a);
        return Dispatcher.Handle(new SmcCall(Linux, id.Value, argInfo.Value, a[0], a[1], a[2], a[3]));
    }

    public SmcResult EnableBridges() => Std64(ScmCatalog.Mp, ShmBridgeService.EnableCommand, ArgInfo.None);

    /// <summary>SHM_BRIDGE_CREATE with the qcom_tzmem packing.</summary>
    public SmcResult CreateBridge(ulong address, ulong size, ulong nsPerm = 0x6) =>
        Std64(ScmCatalog.Mp, ShmBridgeService.CreateCommand, ArgInfo.Values(4), address | nsPerm, address | 0x6, size | (1UL << 9), 3);

    public SmcResult DeleteBridge(ulong handle) => Std64(ScmCatalog.Mp, ShmBridgeService.DeleteCommand, ArgInfo.Values(1), handle);

    public void WriteUInt64s(ulong address, params ulong[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        Assert.Equal(BusStatus.Ok, Bus.Write(Linux, new PhysAddr(address), bytes));
    }

    public void WriteUInt32s(ulong address, params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        Assert.Equal(BusStatus.Ok, Bus.Write(Linux, new PhysAddr(address), bytes));
    }
}

/// <summary>
/// A test service on SVC 0x42: cmd 1 echoes its arguments into results; cmd 2 reads 8 bytes from the
/// RO/RW buffer a0 points at (length a1) and returns them; cmd 3 writes a1 bytes of 0xA5 into the RW
/// buffer a0; cmd 4 fails with the status in a0; cmd 5 fails at service level with code a0 (x0 = 0).
/// </summary>
[ScmService(EchoService.Service)]
internal sealed partial class EchoService
{
    public const byte Service = 0x42;

    public List<ulong[]> Calls { get; } = [];

    [ScmCommand(1)]
    public ScmReply EchoArgs(ScmRequest request)
    {
        var args = Enumerable.Range(0, request.ArgCount).Select(request.Arg).ToArray();
        Calls.Add(args);
        var sum = args.Aggregate(0UL, (s, a) => s + a);
        return ScmReply.Ok((ulong)request.ArgCount, sum, request.ArgCount > 0 ? args[^1] : 0);
    }

    [ScmCommand(2)]
    public ScmReply ReadBuffer(ScmRequest request)
    {
        var status = request.CheckArgBuffer(0, request.Arg(1));
        if (status != ScmStatus.Success) return ScmReply.Fail(status);
        Span<byte> head = stackalloc byte[8];
        status = request.ReadArgBuffer(0, head[..(int)Math.Min(8, request.Arg(1))]);
        return status == ScmStatus.Success ? ScmReply.Ok(BinaryPrimitives.ReadUInt64LittleEndian(head)) : ScmReply.Fail(status);
    }

    [ScmCommand(3)]
    public ScmReply FillBuffer(ScmRequest request)
    {
        if (request.Arg(1) > 1 << 20) return ScmReply.Fail(ScmStatus.InvalidArgument);
        var bytes = new byte[request.Arg(1)];
        bytes.AsSpan().Fill(0xA5);
        var status = request.WriteArgBuffer(0, bytes);
        return status == ScmStatus.Success ? ScmReply.Ok() : ScmReply.Fail(status);
    }

    [ScmCommand(4)]
    public static ScmReply Fail(ScmRequest request) => ScmReply.Fail((long)request.Arg(0));

    [ScmCommand(5)]
    public static ScmReply ServiceError(ScmRequest request) => ScmReply.ServiceError(request.Arg(0));
}

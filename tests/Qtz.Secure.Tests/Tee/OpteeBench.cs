using System.Buffers.Binary;
using Qtz.Firmware;
using Qtz.Firmware.Elf;
using Qtz.Secure.Tee;
using Qtz.Secure.Tests.Pas;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using Qtz.Secure.Scm;
using Qtz.Secure.Pas;
using Qtz.Firmware.Mdt;
using Qtz.Firmware.HashSegments;

namespace Qtz.Secure.Tests.Tee;

/// <summary>
/// One ADSP behind an SMMU, the PAS core with OP-TEE's PAS TA in front of it (and no SCM PIL service),
/// and a hand-written "Linux" that speaks OPTEE_SMC_CALL_WITH_ARG: messages at <see cref="MessageAt"/>,
/// one registered shm at <see cref="ShmAt"/>, segments copied into the carveout as the mdt loader does.
/// </summary>
internal sealed class OpteeBench
{
    public const uint AdspPasId = 1;
    public const ulong MessageAt = 0x8300_0000;
    public const ulong ShmAt = 0x8100_0000;
    public const ulong ShmSize = 0x10_0000;
    public const ulong ShmCookie = 0x42;
    public static readonly PhysRange Carveout = new(new PhysAddr(0x9000_0000), 0x20_0000);
    public static readonly PasDeviceMemory Lpass = new(new Iova(0x8F00_0000), new PhysAddr(0x8F00_0000), 0x2000, AccessPermissions.ReadWrite, "lpass-lpm");

    public OpteeBench(SecureBootFuses? fuses = null)
    {
        Clock = new VirtualClock(1);
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", new PhysAddr(0x8000_0000), 0x4000_0000);
        var irqs = new InterruptController();
        var smmu = Smmu.AddTo(Bus, "apps_smmu", new PhysAddr(0x1500_0000), new SmmuOptions(), irqs);
        Core = new DspCore("adsp", 0x3000, Clock, new DspSignals("adsp", irqs), new SharedMemory(), 423, smmu.Port(0x3000, Vmid.AdspQ6));
        var world = new SecureWorld(Bus);
        Pas = new PasService(world, fuses ?? new SecureBootFuses([TestImages.Keys.RootSha384]), [new PasPeripheral(AdspPasId, "adsp", Carveout, Core, Vmid.AdspQ6) { DeviceMemory = [Lpass] }]);
        Optee = new OpteeOs(world).Add(new PasTrustedApp(Pas));
        Optee.Traced += Events.Add;
        var conduit = new SmcConduit(Bus);
        conduit.Attach(new SecureMonitor(new ScmDispatcher(world, new ScmServiceTable.Builder().Build()), Optee));
        Conduit = conduit;
        Assert.Equal(TeeResult.Success, Send(OpteeMsg.CmdRegisterShm, 0, 0, [new((ulong)OpteeParamType.TmemInout, ShmAt, ShmSize, ShmCookie)]).Ret);
    }

    public VirtualClock Clock { get; }
    public SystemBus Bus { get; }
    public DspCore Core { get; }
    public PasService Pas { get; }
    public OpteeOs Optee { get; }
    public SmcConduit Conduit { get; }
    public List<OpteeEvent> Events { get; } = [];
    public BusMaster Linux { get; } = BusMaster.LinuxEl2;

    /// <summary>One message through the SMC; returns the answered header and params (x0 must be OK).</summary>
    public (uint Ret, uint Origin, uint Session, OpteeMsgParam[] Params) Send(uint cmd, uint func, uint session, OpteeMsgParam[] p)
    {
        var message = OpteeMsg.Encode(new OpteeMsgHeader(cmd, func, session, 0, 0, 0, 0), p);
        Assert.Equal(BusStatus.Ok, Bus.Write(Linux, new PhysAddr(MessageAt), message));
        var r = Conduit.Smc(new SmcCall(Linux, OpteeMsg.CallWithArg.Value, MessageAt >> 32, MessageAt & 0xFFFF_FFFF));
        Assert.Equal(OpteeMsg.ReturnOk, r.X0);
        Assert.Equal(BusStatus.Ok, Bus.Read(Linux, new PhysAddr(MessageAt), message));
        var h = OpteeMsgHeader.Parse(message);
        return (h.Ret, h.RetOrigin, h.Session, OpteeMsg.DecodeParams(message, p.Length));
    }

    public (uint Ret, uint Origin, uint Session) Open(uint login, ReadOnlySpan<byte> uuid = default)
    {
        var id = uuid.IsEmpty ? QcomPasTa.Uuid : uuid;
        var r = Send(OpteeMsg.CmdOpenSession, 0, 0,
        [
            new(OpteeMsg.AttrMeta | (ulong)OpteeParamType.ValueInput, BinaryPrimitives.ReadUInt64LittleEndian(id), BinaryPrimitives.ReadUInt64LittleEndian(id[8..]), 0),
            new(OpteeMsg.AttrMeta | (ulong)OpteeParamType.ValueInput, 0, 0, login),
        ]);
        return (r.Ret, r.Origin, r.Session);
    }

    public uint Session => _session ??= Open(TeeResult.LoginReeKernel).Session;

    private uint? _session;

    public static OpteeMsgParam Value(ulong a, ulong b = 0) => new((ulong)OpteeParamType.ValueInput, a, b, 0);

    public static OpteeMsgParam None => new(0, 0, 0, 0);

    public (uint Ret, OpteeMsgParam[] Params) Invoke(uint func, params OpteeMsgParam[] p)
    {
        var all = new OpteeMsgParam[4];
        for (var i = 0; i < 4; i++) all[i] = i < p.Length ? p[i] : None;
        var r = Send(OpteeMsg.CmdInvokeCommand, func, Session, all);
        return (r.Ret, r.Params);
    }

    public uint InitImage(byte[] signed, byte[]? metadata = null)
    {
        var blob = metadata ?? TestImages.Metadata(signed).Blob;
        Assert.Equal(BusStatus.Ok, Bus.Write(Linux, new PhysAddr(ShmAt), blob));
        return Invoke(QcomPasTa.InitImage, Value(AdspPasId), new((ulong)OpteeParamType.RmemInput, 0, (ulong)blob.Length, ShmCookie)).Ret;
    }

    /// <summary>INIT_IMAGE, MEM_SETUP and the segment copy; returns INIT_IMAGE's result.</summary>
    public uint Load(byte[] signed, byte[]? metadata = null)
    {
        var init = InitImage(signed, metadata);
        if (init != TeeResult.Success) return init;
        var elf = ElfFile.Parse(signed);
        var plan = MdtLoadPlan.Create(elf, Carveout.Base.Value, Carveout.Size);
        if (plan.Relocatable)
            Assert.Equal(TeeResult.Success, Invoke(QcomPasTa.MemSetup, Value(AdspPasId, plan.MemSetupSize), Value(Carveout.Base.Value & 0xFFFF_FFFF, Carveout.Base.Value >> 32)).Ret);
        foreach (var s in plan.Segments)
        {
            var p = elf.ProgramHeaders[s.Index];
            Assert.Equal(BusStatus.Ok, Bus.Write(Linux, Carveout.Base + s.CarveoutOffset, signed.AsSpan((int)p.Offset, (int)p.FileSize)));
        }

        return init;
    }

    public uint AuthAndReset() =>
        Invoke(QcomPasTa.AuthAndReset, Value(AdspPasId, Carveout.Size), Value(Carveout.Base.Value & 0xFFFF_FFFF, Carveout.Base.Value >> 32), new((ulong)OpteeParamType.TmemInput, 0, 0, 0)).Ret;
}

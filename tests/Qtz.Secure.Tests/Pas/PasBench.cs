using Qtz.Firmware;
using Qtz.Firmware.Elf;
using Qtz.Soc;
using Xunit;
using Qtz.Firmware.Mdt;
using Qtz.Secure.Pas;
using Qtz.Secure.Scm;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Secure.Tests.Pas;

/// <summary>
/// One ADSP behind an SMMU, TrustZone with PAS and the SHM bridge service, and a hand-written "Linux"
/// that issues PAS SMCs through the conduit exactly as spec §2 says (metadata in plain DMA memory at
/// EL1, in a bridge at EL2), loads segments with Linux's mdt-loader placement, and reads the results.
/// </summary>
internal sealed class PasBench
{
    public const uint AdspPasId = 1;
    public const ulong Ddr = 0x8000_0000;
    public const ulong MetadataAt = 0x8100_0000;
    public const ulong TzMemAt = 0x8200_0000;
    public static readonly PhysAddr SmmuBase = new(0x1500_0000);
    public static readonly PhysRange DefaultCarveout = new(new PhysAddr(0x9000_0000), 0x20_0000);
    public static readonly PasDeviceMemory Lpass = new(new Iova(0x8F00_0000), new PhysAddr(0x8F00_0000), 0x2000, AccessPermissions.ReadWrite, "lpass-lpm");

    public PasBench(int callerEl = 1, SecureBootFuses? fuses = null, bool enableBridges = false, IReadOnlyList<PasDeviceMemory>? devmem = null, PhysRange? carveout = null)
    {
        Carveout = carveout ?? DefaultCarveout;
        Clock = new VirtualClock(1);
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", new PhysAddr(Ddr), 0x4000_0000);
        Smmu = Smmu.AddTo(Bus, "apps_smmu", SmmuBase, new SmmuOptions(), Irqs);
        Core = new DspCore("adsp", 0x3000, Clock, new DspSignals("adsp", Irqs), Smem, 423, Smmu.Port(0x3000, Vmid.AdspQ6));
        Peripheral = new PasPeripheral(AdspPasId, "adsp", Carveout, Core, Vmid.AdspQ6) { DeviceMemory = devmem ?? [Lpass] };
        World = new SecureWorld(Bus);
        Fuses = fuses ?? new SecureBootFuses([TestImages.Keys.RootSha384]);
        Pas = new PasService(World, Fuses, [Peripheral]);
        var table = Pas.AddTo(new ScmServiceTable.Builder().Add(new ShmBridgeService(World))).Build();
        Conduit = new SmcConduit(Bus);
        Conduit.Attach(new ScmDispatcher(World, table));
        Caller = BusMaster.NonSecureCpu(callerEl);
        if (enableBridges) Assert.Equal(0, Smc(ScmCatalog.Mp, ScmCatalog.MpShmBridgeEnable, ArgInfo.None).Status);
    }

    public PhysRange Carveout { get; }

    public VirtualClock Clock { get; }
    public SystemBus Bus { get; }
    public InterruptController Irqs { get; } = new();
    public SharedMemory Smem { get; } = new();
    public Smmu Smmu { get; }
    public DspCore Core { get; }
    public PasPeripheral Peripheral { get; }
    public SecureWorld World { get; }
    public SecureBootFuses Fuses { get; }
    public PasService Pas { get; }
    public SmcConduit Conduit { get; }
    public BusMaster Caller { get; set; }

    public SmcResult Smc(byte service, byte command, ArgInfo info, params ulong[] args)
    {
        var a = new ulong[4];
        args.AsSpan(0, Math.Min(4, args.Length)).CopyTo(a);
        var id = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc64, SmcOwner.Sip, service, command);
        return Conduit.Smc(new SmcCall(Caller, id.Value, info.Value, a[0], a[1], a[2], a[3]));
    }

    public SmcResult Pil(byte command, ArgInfo info, params ulong[] args) => Smc(ScmCatalog.Pil, command, info, args);

    /// <summary>Linux's <c>ret ?: result[0]</c> view as a pair, for assertions.</summary>
    public static (long Status, ulong Code) Outcome(SmcResult r) => (r.Status, r.X1);

    public void Write(ulong address, ReadOnlySpan<byte> bytes) => Assert.Equal(BusStatus.Ok, Bus.Write(Caller, new PhysAddr(address), bytes));

    public SmcResult InitImage(byte[] signed, ulong at = MetadataAt, uint pasId = AdspPasId)
    {
        Write(at, TestImages.Metadata(signed).Blob);
        return Pil(PasService.InitImageCommand, new ArgInfo(0x82), pasId, at);
    }

    public SmcResult MemSetup(ulong @base, ulong size) => Pil(PasService.MemSetupCommand, ArgInfo.Values(3), AdspPasId, @base, size);

    public SmcResult AuthAndReset() => Pil(PasService.AuthAndResetCommand, ArgInfo.Values(1), AdspPasId);

    public SmcResult Shutdown() => Pil(PasService.ShutdownCommand, ArgInfo.Values(1), AdspPasId);

    /// <summary>INIT_IMAGE, MEM_SETUP (relocatable images) and the segment copy, as qcom_mdt_pas_init + __qcom_mdt_load do.</summary>
    public void Load(byte[] signed, Action<byte[]>? tamper = null, ulong metadataAt = MetadataAt)
    {
        var init = InitImage(signed, metadataAt);
        Assert.Equal((0L, 0UL), Outcome(init));
        var elf = ElfFile.Parse(signed);
        var plan = MdtLoadPlan.Create(elf, Carveout.Base.Value, Carveout.Size);
        if (plan.Relocatable) Assert.Equal((0L, 0UL), Outcome(MemSetup(Carveout.Base.Value, plan.MemSetupSize)));
        var copy = (byte[])signed.Clone();
        tamper?.Invoke(copy);
        foreach (var s in plan.Segments)
        {
            var p = elf.ProgramHeaders[s.Index];
            Write(Carveout.Base.Value + s.CarveoutOffset, copy.AsSpan((int)p.Offset, (int)p.FileSize));
        }
    }

    /// <summary>Everything up to a released core; returns AUTH_AND_RESET's answer.</summary>
    public SmcResult Boot(byte[] signed, Action<byte[]>? tamper = null)
    {
        Load(signed, tamper);
        return AuthAndReset();
    }

    public SmcResult CreateBridge(ulong address, ulong size) =>
        Smc(ScmCatalog.Mp, ScmCatalog.MpShmBridgeCreate, ArgInfo.Values(4), address | 6, address | 6, size | (1UL << 9), 3);

    public SmcResult DeleteBridge(ulong handle) => Smc(ScmCatalog.Mp, ScmCatalog.MpShmBridgeDelete, ArgInfo.Values(1), handle);
}

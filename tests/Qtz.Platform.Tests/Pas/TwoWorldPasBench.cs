using Qtz.Firmware;
using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;
using Qtz.Kernel;
using Qtz.Secure;
using Qtz.Soc;
using Xunit;
using Qtz.Firmware.Mdt;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Hypervisor;
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

namespace Qtz.Platform.Tests.Pas;

/// <summary>Which side maps the DSP: QHEE (Linux at EL1) or Linux itself as the KVM host (EL2).</summary>
public enum PasMode
{
    Qhee,
    Kvm,
}

/// <summary>
/// Both worlds for one ADSP: Secure (PAS, SHM bridges, optionally QHEE) and a hand-written kernel caller
/// over the kernel's SCM client. They meet only through the SMC conduit and the bus.
/// </summary>
internal sealed class TwoWorldPasBench
{
    public const uint AdspPasId = 1;
    public static readonly PhysRange Carveout = new(new PhysAddr(0x9000_0000), 0x20_0000);
    public static readonly PhysRange KernelDma = new(new PhysAddr(0xA000_0000), 0x100_0000);
    public static readonly PhysRange HypRam = new(new PhysAddr(0xBF00_0000), 0x10_0000);
    public static readonly PhysAddr SmmuBase = new(0x1500_0000);

    private static readonly Lazy<SigningKeys> Keys = new(() => SigningKeys.Generate(SigningKeyType.P384));

    public TwoWorldPasBench(PasMode mode)
    {
        Mode = mode;
        Clock = new VirtualClock(7);
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", new PhysAddr(0x8000_0000), 0x4000_0000);
        Smmu = Smmu.AddTo(Bus, "apps_smmu", SmmuBase, new SmmuOptions(), Irqs);
        Core = new DspCore("adsp", 0x3000, Clock, new DspSignals("adsp", Irqs), new SharedMemory(), 423, Smmu.Port(0x3000, Vmid.AdspQ6));
        var peripheral = new PasPeripheral(AdspPasId, "adsp", Carveout, Core, Vmid.AdspQ6)
        {
            DeviceMemory = [new PasDeviceMemory(new Iova(0x8F00_0000), new PhysAddr(0x8F00_0000), 0x2000, AccessPermissions.ReadWrite, "lpass")],
        };
        Conduit = new SmcConduit(Bus);
        World = new SecureWorld(Bus);
        Pas = new PasService(World, new SecureBootFuses([Keys.Value.RootSha384]), [peripheral]);
        Conduit.Attach(new ScmDispatcher(World, Pas.AddTo(new ScmServiceTable.Builder().Add(new ShmBridgeService(World))).Build()));
        if (mode == PasMode.Qhee)
        {
            Qhee = new Qhee(Bus, new QheeOptions { SmmuBase = SmmuBase, PageTableRam = HypRam }, [peripheral]);
            Qhee.Install(Conduit);
        }

        Dma = new DmaCoherentMemory(KernelDma);
        Scm = new global::Qtz.Kernel.ScmClient.Scm(Conduit, Bus, BusMaster.NonSecureCpu(mode == PasMode.Qhee ? 1 : 2), Dma);
        Assert.Equal(0, Scm.Probe());
        Linux = new KernelPasCaller(Scm, Dma);
    }

    public PasMode Mode { get; }
    public VirtualClock Clock { get; }
    public SystemBus Bus { get; }
    public InterruptController Irqs { get; } = new();
    public Smmu Smmu { get; }
    public DspCore Core { get; }
    public SmcConduit Conduit { get; }
    public SecureWorld World { get; }
    public PasService Pas { get; }
    public Qhee? Qhee { get; }
    public DmaCoherentMemory Dma { get; }
    public global::Qtz.Kernel.ScmClient.Scm Scm { get; }
    public KernelPasCaller Linux { get; }

    public PasContext NewContext() => new(AdspPasId, Carveout, useTzmem: Mode == PasMode.Kvm);

    public static byte[] SignedAdsp(uint softwareId = 0x04)
    {
        using var image = FirmwareImage.FromMemory(new UnsignedImageBuilder { SegmentSizes = [0x3000, 1000] }.Build());
        return FirmwareSigner.Sign(image, Keys.Value, new SignOptions { Version = 6, SoftwareId = softwareId });
    }

    /// <summary>qcom_mdt_pas_init + __qcom_mdt_load: INIT_IMAGE, MEM_SETUP, copy the segments as Linux.</summary>
    public int Load(PasContext ctx, byte[] signed, Action<byte[]>? tamper = null)
    {
        using var image = FirmwareImage.FromMemory(signed);
        var ret = Linux.InitImage(ctx, MdtMetadata.Build(image).Blob);
        if (ret != 0) return ret;
        var plan = MdtLoadPlan.Create(image.Elf, Carveout.Base.Value, Carveout.Size);
        ret = Linux.MemSetup(AdspPasId, Carveout.Base, plan.MemSetupSize);
        if (ret != 0) return ret;
        var copy = (byte[])signed.Clone();
        tamper?.Invoke(copy);
        foreach (var s in plan.Segments)
        {
            var p = image.ProgramHeaders[s.Index];
            Assert.Equal(BusStatus.Ok, Bus.Write(Scm.Cpu, Carveout.Base + s.CarveoutOffset, copy.AsSpan((int)p.Offset, (int)p.FileSize)));
        }

        return 0;
    }

    public static ProgramHeader FirstSegment(byte[] signed) => ElfFile.Parse(signed).ProgramHeaders.First(p => p.IsLoad && p.FileSize > 0);
}

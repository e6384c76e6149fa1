using Qtz.DeviceTree;
using Qtz.Firmware;
using Qtz.Firmware.Images;
using Qtz.Firmware.ResourceTables;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;
using Qtz.Kernel.Iommu;
using Qtz.Kernel.Remoteproc;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.Firmware.Mdt;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Tests.Remoteproc;

/// <summary>Options of one test board.</summary>
internal sealed record BenchOptions
{
    /// <summary>Linux is the KVM host at EL2 (else EL1 under a hypervisor that is not modelled here).</summary>
    public bool Kvm { get; init; } = true;

    /// <summary>The node has `iommus` (the EL2 overlay was applied).</summary>
    public bool Iommus { get; init; } = true;

    public PasEl2Design Design { get; init; } = PasEl2Design.RscTable;

    public bool DevmemInDt { get; init; }

    public bool SidInIova { get; init; }

    public ushort Sid { get; init; } = 0x3000;

    /// <summary>Device ranges the firmware touches at boot; the TZ resource table lists <see cref="TableDevmem"/>.</summary>
    public IReadOnlyList<DevMemResource>? DspDevmem { get; init; }

    public IReadOnlyList<DevMemResource>? TableDevmem { get; init; }

    public bool Recovery { get; init; } = true;

    public Action<DtNode>? EditNode { get; init; }

    /// <summary>The image request_firmware returns; null: <see cref="RprocBench.Image"/>.</summary>
    public byte[]? Firmware { get; init; }
}

/// <summary>
/// One SA8775p-like ADSP on a real Soc (bus, SMMU-500, DspCore, SMP2P, SMEM) with the kernel's SCM
/// client, arm-smmu driver and PAS remoteproc, and <see cref="FakePasMonitor"/> as TrustZone.
/// </summary>
internal sealed class RprocBench
{
    public const uint PasId = 1;
    public static readonly PhysRange Carveout = new(new PhysAddr(0x9590_0000), 0x1e0_0000);
    public static readonly PhysAddr SmmuBase = new(0x1500_0000);
    public static readonly PhysRange TablePool = new(new PhysAddr(0x8000_0000), 0x400_0000);
    public static readonly PhysRange DmaRange = new(new PhysAddr(0x8800_0000), 0x100_0000);

    public static readonly DevMemResource[] AdspDevmem =
    [
        new(0x110000, 0x110000, 0x4000, 1, 0, "lpass-a"),
        new(0x123000, 0x123000, 0x1000, 3, 0, "lpass-b"),
        new(0x149000, 0x149000, 0xe000, 3, 0, "lpass-c"),
    ];

    public static readonly PasData AdspData = new()
    {
        Compatible = "qcom,sa8775p-adsp-pas",
        FirmwareName = "adsp.mbn",
        PasId = PasId,
        CrashReasonSmem = 423,
        ProxyPowerDomains = ["lcx", "lmx"],
        LoadState = "adsp",
        SsrName = "lpass",
        SysmonName = "adsp",
        SsctlId = 0x14,
    };

    private static readonly Lazy<SigningKeys> Keys = new(() => SigningKeys.Generate(SigningKeyType.P384));
    private static readonly Lazy<byte[]> SignedImage = new(BuildImage);

    public RprocBench(BenchOptions? options = null)
    {
        Options = options ?? new BenchOptions();
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", new PhysAddr(0x8000_0000), 0x8000_0000);
        Bus.AddRam("lpass", new PhysAddr(0x100000), 0x100000);
        Tz = new FakePasMonitor(Bus);
        Conduit = new SmcConduit(Bus);
        Conduit.Attach(Tz);
        Cpu = Options.Kvm ? BusMaster.LinuxEl2 : BusMaster.LinuxEl1;
        Scm = new global::Qtz.Kernel.ScmClient.Scm(Conduit, Bus, Cpu, new DmaCoherentMemory(DmaRange));
        if (Scm.Probe() != 0) throw new InvalidOperationException("SCM probe failed");

        SocSmmu = global::Qtz.Soc.SystemMmu.Smmu.AddTo(Bus, "apps_smmu", SmmuBase);
        if (Options.Kvm)
        {
            Pages = new PageAllocator(Bus, Cpu, TablePool);
            SmmuDriver = new ArmSmmu(Bus, Cpu, SmmuBase, Pages, SocSmmu.ContextInterrupts);
            SmmuDriver.Probe().ThrowIfError("smmu probe");
        }

        Signals = new DspSignals("adsp", Irqs);
        IDspMemoryPort port = Options.Kvm ? SocSmmu.Port(Options.Sid, Vmid.AdspQ6) : new DirectPort(Bus, BusMaster.Dsp(Options.Sid, Vmid.AdspQ6));
        Dsp = new DspCore("adsp", Options.Sid, Clock, Signals, Smem, AdspData.CrashReasonSmem, port);
        var dspDevmem = Options.DspDevmem ?? AdspDevmem;
        Tz.Peripherals[PasId] = new FakePasPeripheral
        {
            Carveout = Carveout,
            Dsp = Dsp,
            Devmem = Options.TableDevmem ?? AdspDevmem,
            BootImage = () => BootImageFor(dspDevmem),
        };

        Tree = BuildTree();
        Driver = PasRemoteproc.Probe(Config());
        Driver.Rproc.Event += e => Events.Add(e);
    }

    public BenchOptions Options { get; }

    public VirtualClock Clock { get; } = new(seed: 7);

    public SystemBus Bus { get; }

    public FakePasMonitor Tz { get; }

    public SmcConduit Conduit { get; }

    public BusMaster Cpu { get; }

    public global::Qtz.Kernel.ScmClient.Scm Scm { get; }

    public global::Qtz.Soc.SystemMmu.Smmu SocSmmu { get; }

    public ArmSmmu? SmmuDriver { get; }

    public PageAllocator? Pages { get; }

    public InterruptController Irqs { get; } = new();

    public SharedMemory Smem { get; } = new();

    public DspSignals Signals { get; }

    public DspCore Dsp { get; }

    public DtTree Tree { get; }

    public DtNode Node => Tree.GetNode("/soc/remoteproc@30000000");

    public PasRemoteproc Driver { get; }

    public Rproc Rproc => Driver.Rproc;

    public List<RprocEvent> Events { get; } = [];

    public static byte[] Image => SignedImage.Value;

    public PasRemoteprocConfig Config(Func<string, FirmwareImage>? firmware = null, IReadOnlyList<string>? searchPath = null) => new()
    {
        Node = Node,
        Data = AdspData,
        Scm = Scm,
        FromDsp = Signals.FromDsp,
        ToDsp = Signals.ToDsp,
        Watchdog = Signals.Watchdog,
        Smem = Smem,
        Smmu = SmmuDriver,
        FirmwareSearchPath = searchPath ?? [],
        RequestFirmware = searchPath is null ? firmware ?? (name => FirmwareImage.FromMemory(Options.Firmware ?? Image, name)) : null,
        El2Design = Options.Design,
        DevmemSidInIova = Options.SidInIova,
        RecoveryEnabled = Options.Recovery,
    };

    public string Steps => string.Join("\n", Events.Select(e => e.Message));

    /// <summary>What the DSP sees after reset release: entry at the carveout base, every loaded segment, its device ranges.</summary>
    private DspBootImage BootImageFor(IReadOnlyList<DevMemResource> devmem)
    {
        using var fw = FirmwareImage.FromMemory(Image, "adsp.mbn");
        var plan = MdtLoadPlan.Create(fw.Elf, Carveout.Base.Value, Carveout.Size);
        var sidBits = Options.SidInIova ? (ulong)(Options.Sid & 0xF) << 32 : 0;
        return new DspBootImage(
            new Iova(Carveout.Base.Value | sidBits),
            plan.Segments.Select(s => new DspSegment(new Iova((Carveout.Base.Value + s.CarveoutOffset) | sidBits), s.MemorySize, AccessPermissions.All)).ToArray(),
            devmem.Select(d => new DspDeviceRange(new Iova(d.DeviceAddress | sidBits), d.Length, (AccessPermissions)(d.Flags & 3), d.Name)).ToArray());
    }

    private DtTree BuildTree()
    {
        var tree = new DtTree();
        var reserved = tree.Root.AddChild("reserved-memory");
        reserved.SetCells("#address-cells", 2);
        reserved.SetCells("#size-cells", 2);
        var pil = reserved.AddChild("pil-adsp@95900000");
        pil.SetCells("reg", 0, (uint)Carveout.Base.Value, 0, (uint)Carveout.Size);
        pil.SetCells("phandle", 1);
        var soc = tree.Root.AddChild("soc");
        soc.SetCells("#address-cells", 2);
        soc.SetCells("#size-cells", 2);
        var smmu = soc.AddChild("iommu@15000000");
        smmu.SetCells("#iommu-cells", 2);
        smmu.SetCells("phandle", 2);
        var node = soc.AddChild("remoteproc@30000000");
        node.SetProperty("compatible", DtValues.String(AdspData.Compatible));
        node.SetCells("memory-region", 1);
        if (Options.Iommus) node.SetCells("iommus", 2, Options.Sid, 0);
        if (Options.DevmemInDt)
            node.SetCells("qcom,devmem", AdspDevmem.SelectMany(d => new[] { d.DeviceAddress, d.PhysicalAddress, d.Length, d.Flags }).ToArray());
        Options.EditNode?.Invoke(node);
        return tree;
    }

    private static byte[] BuildImage()
    {
        var unsigned = new UnsignedImageBuilder { Seed = 3, SegmentSizes = [0x3000, 0x1234, 0x800], ZeroFillSize = 0x2000 }.Build();
        using var image = FirmwareImage.FromMemory(unsigned, "adsp.mbn");
        return FirmwareSigner.Sign(image, Keys.Value, new SignOptions { Version = 6, SoftwareId = 0x4 });
    }
}

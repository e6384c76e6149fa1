using Qtz.DeviceTree;
using Qtz.Kernel;
using Qtz.Kernel.Iommu;
using Qtz.Platform.Firmware;
using Qtz.Platform.Socs;
using Qtz.Platform.Storage;
using Qtz.Secure;
using Qtz.Soc;

namespace Qtz.Platform.Boards;

/// <summary>
/// A whole SoC board built from a device tree: DDR and carveouts, the apps SMMU, one DSP core per
/// enabled PAS remoteproc with its SMP2P/IRQ/SMEM wiring, the SMC conduit with TrustZone (SHM bridge,
/// hyp-assign, PAS) behind it, and Linux's side — the SCM client with tzmem, and either its own SMMU
/// driver (KVM host at EL2) or QHEE below it (EL1), and optionally an SPI-NOR behind TrustZone with the
/// SCM storage MTD driver on the same SCM client. The worlds meet only through the conduit and the bus.
/// </summary>
public sealed partial class Board : IDisposable
{
    private Board(BoardOptions options)
    {
        Options = options;
        Trace = new BoardTrace(options.TraceCapacity);
        DeviceTree = BoardDeviceTree.Resolve(options);
        var tree = DeviceTree.Tree;
        Memory = BoardMemoryMap.From(tree);
        Clock = new VirtualClock(options.Seed);
        Bus = new SystemBus(Clock);
        for (var i = 0; i < Memory.Ddr.Count; i++)
            Bus.AddRam(Memory.Ddr.Count == 1 ? "ddr" : $"ddr{i}", Memory.Ddr[i].Base, Memory.Ddr[i].Size);
        Irqs = new InterruptController();
        Smem = new SharedMemory();

        SmmuNode = FindAppsSmmu(tree);
        SmmuBase = new PhysAddr(SmmuNode.GetReg()[0].Address);
        Smmu = Smmu.AddTo(Bus, "apps_smmu", SmmuBase, null, Irqs);

        var devmem = BoardDevmem.ForTree(tree);
        foreach (var range in BoardDevmem.BackingRanges(devmem.Values.SelectMany(v => v)))
        {
            if (Bus.Decode(range.Base) is null)
                Bus.AddRam($"devmem@{range.Base.Value:x}", range.Base, range.Size);
        }

        Remoteprocs = BoardDeviceTree.PasNodes(tree).Select(n => Wire(n, devmem[n.Path])).OrderBy(r => r.PasId).ToArray();
        if (options.Firmware is { } prepared)
        {
            Firmware = prepared;
        }
        else if (options.FirmwareDirectory is { } dir)
        {
            Firmware = FirmwareSource.Directory(dir);
        }
        else
        {
            var generated = DefaultFirmware.Generate(Remoteprocs.Select(r => new DefaultImageSpec(r.FirmwareName ?? r.Data.FirmwareName, r.PasId, r.Carveout)), options.Seed);
            options.CustomizeFirmware?.Invoke(generated);
            Firmware = generated;
        }

        TrustedRoots = [DefaultFirmware.TestRootSha384(), Convert.FromHexString(Sa8775p.ReleasedFirmwareRootSha384), .. options.TrustRoots];

        Conduit = new SmcConduit(Bus);
        World = new SecureWorld(Bus);
        ShmBridges = new ShmBridgeService(World, ShmBridgeSupport.Supported);
        HypAssign = new HypAssignService(World);
        KernelCpu = BusMaster.NonSecureCpu(options.Mode == KernelMode.Kvm ? 2 : 1);
        Flash = options.Flash is { } flash ? new TzStorage(flash, options.FlashOptions, Clock) : null;
        WireTrace();
        BuildSecureWorld();

        Dma = new DmaCoherentMemory(Memory.KernelDma);
        Scm = new Scm(Conduit, Bus, KernelCpu, Dma, new ScmOptions());
        var probe = Scm.Probe();
        if (probe != 0) throw new InvalidOperationException($"SCM probe failed on the board: {ScmErrno.Name(probe)}");
        ScmPoolChunksAtProbe = Scm.Pool?.LiveChunks ?? 0;
        KernelPages = new PageAllocator(Bus, KernelCpu, Memory.KernelPageTables);
        if (options.Mode == KernelMode.Kvm)
        {
            ArmSmmu = new ArmSmmu(Bus, KernelCpu, SmmuBase, KernelPages, Smmu.ContextInterrupts);
            var e = ArmSmmu.Probe();
            if (e != Errno.None) throw new InvalidOperationException($"arm-smmu probe failed on {SmmuNode.Path}: {e}");
        }

        BuildKernel();
        ProbeFlash();
    }

    public BoardOptions Options { get; }

    public BoardDeviceTree DeviceTree { get; }

    public BoardMemoryMap Memory { get; }

    public VirtualClock Clock { get; }

    public SystemBus Bus { get; }

    public InterruptController Irqs { get; }

    public SharedMemory Smem { get; }

    public DtNode SmmuNode { get; }

    public PhysAddr SmmuBase { get; }

    public Smmu Smmu { get; }

    public IReadOnlyList<BoardRemoteproc> Remoteprocs { get; }

    public FirmwareSource Firmware { get; }

    /// <summary>Root hashes the secure-boot fuses trust: the embedded test root, the released SA8775p images' root, and --trust-root.</summary>
    public IReadOnlyList<byte[]> TrustedRoots { get; }

    public SmcConduit Conduit { get; }

    public SecureWorld World { get; }

    public ShmBridgeService ShmBridges { get; }

    public HypAssignService HypAssign { get; }

    public BusMaster KernelCpu { get; }

    public DmaCoherentMemory Dma { get; }

    public Scm Scm { get; }

    public PageAllocator KernelPages { get; }

    /// <summary>tzmem chunks the SCM pool held right after probe: what must be left once every remoteproc stopped.</summary>
    public int ScmPoolChunksAtProbe { get; }

    /// <summary>Linux's SMMU driver: only when Linux is the KVM host (under QHEE the hypervisor owns the DSP streams).</summary>
    public ArmSmmu? ArmSmmu { get; }

    public BoardTrace Trace { get; }

    /// <summary>Everything the board decided on its own (default DDR, overlays applied), for the output.</summary>
    public IEnumerable<string> Notes => DeviceTree.Notes.Concat(Memory.Notes);

    public static Board Build(BoardOptions? options = null) => new(options ?? new BoardOptions());

    public BoardRemoteproc Remoteproc(string name) =>
        Remoteprocs.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"no remoteproc '{name}' on this board; have {string.Join(", ", Remoteprocs.Select(r => r.Name))}", nameof(name));

    private BoardRemoteproc Wire(DtNode node, IReadOnlyList<DevmemEntry> devmem)
    {
        var data = node.GetStringList("compatible").Select(Sa8775p.FindPasData).First(d => d is not null)!;
        var hardware = Sa8775p.FindDsp(data.PasId) ?? throw new BoardException($"{node.Path}: PAS id {data.PasId} has no DSP in the {Sa8775p.Name} hardware table");
        var regions = node.GetMemoryRegions();
        if (regions.Count == 0) BoardException.Throw($"{node.Path}: no memory-region (the firmware carveout is required, spec §9.2)");
        var reg = regions[0].GetReg();
        if (reg.Count == 0 || reg[0].Size == 0) BoardException.Throw($"{regions[0].Path}: the carveout has no reg");
        var carveout = new PhysRange(new PhysAddr(reg[0].Address), reg[0].Size);
        if (!Memory.InDdr(carveout)) BoardException.Throw($"{regions[0].Path}: carveout {carveout} lies outside DDR");
        var signals = new DspSignals(hardware.Name, Irqs);
        var core = new DspCore(hardware.Name, hardware.StreamId, Clock, signals, Smem, data.CrashReasonSmem, Smmu.Port(hardware.StreamId, hardware.Vmid));
        return new BoardRemoteproc(node, data, hardware, carveout, regions[0].Name, core, signals, devmem);
    }

    /// <summary>The SMMU the DSPs sit behind: the target of an <c>iommus</c> when there is one, else the first MMU-500 in the tree.</summary>
    private static DtNode FindAppsSmmu(DtTree tree)
    {
        var viaIommus = BoardDeviceTree.PasNodes(tree).SelectMany(n => n.HasProperty("iommus") ? n.GetIommus() : []).Select(r => r.Target).FirstOrDefault();
        return viaIommus
            ?? tree.Root.DescendantsAndSelf().FirstOrDefault(n => n.IsEnabled && n.IsCompatible("arm,mmu-500") && n.GetReg().Count > 0)
            ?? throw new BoardException("the device tree has no arm,mmu-500 SMMU node with a reg (the DSPs' apps SMMU)");
    }

    private void WireTrace()
    {
        Conduit.Traced += e => Trace.Add(new BoardTraceEvent(e.Time, BoardTraceKind.Smc, "smc", e.Name, e));
        Smmu.Faulted += f => Trace.Add(f.Time, BoardTraceKind.SmmuFault, Smmu.Name, $"sid 0x{f.StreamId:x} {f.Kind.ToString().ToLowerInvariant()} {f.Iova} {f.Status}" + (f.ContextBank >= 0 ? $" cb{f.ContextBank}" : " (global)"));
        Bus.FaultRaised += f => Trace.Add(f.Time, BoardTraceKind.BusFault, "bus", $"{f.Master} {f.Kind.ToString().ToLowerInvariant()} {f.Address}+0x{f.Length:x} {(f.Status == BusStatus.Denied ? "denied by " + f.Region : "decodes to nothing")}");
        foreach (var r in Remoteprocs)
            r.Core.Changed += e => Trace.Add(e.Time, BoardTraceKind.Dsp, e.Core, $"{e.State}: {e.What}");
    }

    partial void BuildSecureWorldServices(ScmServiceTable.Builder services);

    partial void BuildKernel();

    private void BuildSecureWorld()
    {
        var services = new ScmServiceTable.Builder().Add(ShmBridges).Add(HypAssign);
        BuildSecureWorldServices(services);
        Flash?.AddTo(services);
        Dispatcher = new ScmDispatcher(World, services.Build());
        Conduit.Attach(Dispatcher);
    }

    public ScmDispatcher Dispatcher { get; private set; } = null!;
}

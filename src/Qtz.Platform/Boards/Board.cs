using Qtz.DeviceTree;
using Qtz.Kernel;
using Qtz.Kernel.Iommu;
using Qtz.Platform.FirmwareLoader;
using Qtz.Platform.Socs;
using Qtz.Platform.Storage;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Properties;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.HypAssign;
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
        Socs = options.Socs ?? SocCatalog.Linux;
        DeviceTree = BoardDeviceTree.Resolve(options);
        var tree = DeviceTree.Tree;
        BoardDeviceTree.RequirePasRemoteprocs(tree, DeviceTree.Name, Socs, PasUserNodes(tree).Any(), PasUserKindOf);
        Memory = BoardMemoryMap.From(tree);
        Clock = new VirtualClock(options.Seed);
        Bus = new SystemBus(Clock);
        for (var i = 0; i < Memory.Ddr.Count; i++)
            Bus.AddRam(Memory.Ddr.Count == 1 ? "ddr" : $"ddr{i}", Memory.Ddr[i].Base, Memory.Ddr[i].Size);
        Irqs = new InterruptController();
        Smem = new SharedMemory();

        SmmuNode = FindAppsSmmu(tree, Socs);
        SmmuBase = SmmuNode is not null ? new PhysAddr(SmmuNode.GetReg()[0].Address) : UnmanagedSmmuBase;
        Smmu = Smmu.AddTo(Bus, SmmuNode is not null ? "apps_smmu" : "dsp-bus (no apps SMMU in the tree)", SmmuBase, null, Irqs);
        if (SmmuNode is null)
            Memory = Memory with { Notes = [.. Memory.Notes, "the tree has no apps SMMU (arm,mmu-500 / qcom,smmu-500 / smmu-v2 family): the DSPs reach memory untranslated and QHEE has no stream to program, as on such hardware"] };

        var devmem = BoardDevmem.ForTree(tree, Socs);
        foreach (var range in BoardDevmem.BackingRanges(devmem.Values.SelectMany(v => v)))
        {
            if (Bus.Decode(range.Base) is null)
                Bus.AddRam($"devmem@{range.Base.Value:x}", range.Base, range.Size);
        }

        var identity = new BoardIdentity();
        var names = new HashSet<string>(StringComparer.Ordinal);
        Remoteprocs = BoardDeviceTree.PasNodes(tree, Socs).Select(n => Wire(n, devmem[n.Path], identity, names)).OrderBy(r => r.PasId).ThenBy(r => r.Name, StringComparer.Ordinal).ToArray();
        WirePasUsers(identity, names);
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
            var generated = DefaultFirmware.Generate(GeneratedImages().Concat(PasUserImages()), options.Seed);
            options.CustomizeFirmware?.Invoke(generated);
            Firmware = generated;
        }

        TrustedRoots = FusedRoots.Trusted(options.TrustRoots);

        Conduit = new SmcConduit(Bus);
        KernelCpu = BusMaster.NonSecureCpu(options.Mode == KernelMode.Kvm ? 2 : 1);
        Flash = options.Flash is { } flash ? new TzStorage(flash, options.FlashOptions, Clock) : null;
        WireTrace();

        // Secure world first (TrustZone's services over the board's hardware), then Linux's SCM client.
        World = new SecureWorld(Bus);
        Fuses = new SecureBootFuses(TrustedRoots, 0, Options.EnforceSecureBoot);
        Peripherals = Remoteprocs.SelectMany(PeripheralsOf).Concat(PasUserPeripherals()).ToArray();
        Pas = CreatePas();
        if (Options.Tee == TeeBackend.Optee) BuildOptee();
        var worlds = TwoWorlds.Wire(Bus, Conduit, World, new TwoWorldsOptions { KernelCpu = KernelCpu, KernelDma = Memory.KernelDma }, services =>
        {
            // On an OP-TEE board TrustZone offers no PIL service: the PAS TA is the only way in.
            if (Options.Tee == TeeBackend.Qtee) Pas.AddTo(services);
            AddPasUserServices(services);
            Flash?.AddTo(services);
        }, SecureMonitorFor);
        ShmBridges = worlds.ShmBridges;
        HypAssign = worlds.HypAssign;
        Dispatcher = worlds.Dispatcher;
        Dma = worlds.Dma;
        Scm = worlds.Scm;
        BuildPasLayer();
        ScmPoolChunksAtProbe = Scm.Pool?.LiveChunks ?? 0;
        KernelPages = new PageAllocator(Bus, KernelCpu, Memory.KernelPageTables);
        if (options.Mode == KernelMode.Kvm)
        {
            ArmSmmu = new ArmSmmu(Bus, KernelCpu, SmmuBase, KernelPages, Smmu.ContextInterrupts);
            var e = ArmSmmu.Probe();
            // The SMMU the device tree describes did not identify as one Linux's arm-smmu can drive: the input's fault.
            if (e != Errno.None) BoardException.Throw($"arm-smmu probe failed on {SmmuNode?.Path ?? "the DSP bus"}: {e.Describe()}");
        }

        ProbeKernelDrivers();
        ProbeFlash();
    }

    public BoardOptions Options { get; }

    public BoardDeviceTree DeviceTree { get; }

    public BoardMemoryMap Memory { get; }

    public VirtualClock Clock { get; }

    public SystemBus Bus { get; }

    public InterruptController Irqs { get; }

    public SharedMemory Smem { get; }

    /// <summary>The SoC tables the board was built from (<see cref="SocCatalog.Linux"/> unless the options gave others).</summary>
    public SocCatalog Socs { get; }

    /// <summary>The apps SMMU's node; null when the tree has none (the DSPs then reach memory untranslated).</summary>
    public DtNode? SmmuNode { get; }

    public PhysAddr SmmuBase { get; }

    public Smmu Smmu { get; }

    public IReadOnlyList<BoardRemoteproc> Remoteprocs { get; }

    public FirmwareSource Firmware { get; }

    /// <summary>Root hashes the secure-boot fuses trust: the embedded test root, the public test roots linux-firmware's images use (<see cref="FusedRoots"/>), and --trust-root.</summary>
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

    /// <summary>Where the board puts the DSPs' (unprogrammed, bypassing) SMMU when the tree has none: an unused MMIO page.</summary>
    private static readonly PhysAddr UnmanagedSmmuBase = new(0x0fe0_0000);

    private BoardRemoteproc Wire(DtNode node, IReadOnlyList<DevmemEntry> devmem, BoardIdentity identity, HashSet<string> names)
    {
        var match = Socs.Resolve(node.GetStringList("compatible"))!;
        var data = match.Data;
        var name = names.Add(data.Name) ? data.Name : $"{data.Name}@{node.UnitAddress}";
        names.Add(name);
        var hardware = identity.For(node, match, name);
        var regions = node.GetMemoryRegions();
        if (regions.Count == 0) BoardException.Throw($"{node.Path}: no memory-region (the firmware carveout is required, spec §9.2)");
        var carveout = RegionOf(regions, 0);
        PhysRange? dtb = data.DtbPasId is not null && regions.Count > 1 ? RegionOf(regions, 1) : null;
        var signals = new DspSignals(hardware.Name, Irqs);
        var core = new DspCore(hardware.Name, hardware.StreamId, Clock, signals, Smem, data.CrashReasonSmem, Smmu.Port(hardware.StreamId, hardware.Vmid));
        return new BoardRemoteproc(node, data, hardware, carveout, regions[0].Name, core, signals, devmem) { Soc = match.Soc.Name, DtbCarveout = dtb };
    }

    private PhysRange RegionOf(IReadOnlyList<DtNode> regions, int index)
    {
        var reg = regions[index].GetReg();
        if (reg.Count == 0 || reg[0].Size == 0) BoardException.Throw($"{regions[index].Path}: the carveout has no reg");
        var range = new PhysRange(new PhysAddr(reg[0].Address), reg[0].Size);
        if (!Memory.InDdr(range)) BoardException.Throw($"{regions[index].Path}: carveout {range} lies outside DDR");
        return range;
    }

    /// <summary>One generated image per PAS id: each DSP's main image and, where the SoC has one, its DTB image.</summary>
    private IEnumerable<DefaultImageSpec> GeneratedImages()
    {
        foreach (var r in Remoteprocs)
        {
            yield return new DefaultImageSpec(r.RequestedFirmware, r.PasId, r.Carveout) { SoftwareId = r.Hardware.SoftwareId };
            if (r.Data.DtbPasId is { } dtbPasId && r.DtbCarveout is { } dtb && r.RequestedDtbFirmware is { } dtbName)
                yield return new DefaultImageSpec(dtbName, dtbPasId, dtb) { SoftwareId = DspKinds.SoftwareIdOf(dtbPasId) };
        }
    }

    /// <summary>
    /// The SMMU the DSPs sit behind: the target of an <c>iommus</c> when there is one, else the arm-smmu-family
    /// node (arm,mmu-500, qcom,smmu-500, the smmu-v2s) most other nodes' <c>iommus</c> point at — the apps SMMU,
    /// not the GPU's (qcom,adreno-smmu) or PCIe's; null when the tree has none.
    /// </summary>
    public static DtNode? FindAppsSmmu(DtTree tree, SocCatalog socs)
    {
        var viaIommus = BoardDeviceTree.PasNodes(tree, socs).SelectMany(n => n.HasProperty("iommus") ? SafeIommus(n) : []).Select(r => r.Target).FirstOrDefault(HasReg);
        if (viaIommus is not null) return viaIommus;
        var family = tree.Root.DescendantsAndSelf()
            .Where(n => n.IsEnabled && n.GetStringList("compatible") is var c && c.Any(IsArmSmmu) && !c.Contains("qcom,adreno-smmu") && HasReg(n))
            .ToList();
        if (family.Count <= 1) return family.FirstOrDefault();
        var users = new Dictionary<DtNode, int>();
        foreach (var n in tree.Root.DescendantsAndSelf().Where(n => n.HasProperty("iommus")))
        {
            foreach (var r in SafeIommus(n)) users[r.Target] = users.GetValueOrDefault(r.Target) + 1;
        }

        return family.OrderByDescending(n => users.GetValueOrDefault(n)).First();
    }

    private static bool HasReg(DtNode node)
    {
        try
        {
            return node.GetReg().Count > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsArmSmmu(string compatible) =>
        compatible is "arm,mmu-500" or "arm,mmu-400" or "arm,mmu-401" or "arm,smmu-v1" or "arm,smmu-v2" or "qcom,smmu-500" or "qcom,smmu-v2";

    private static IReadOnlyList<PhandleReference> SafeIommus(DtNode node)
    {
        try
        {
            return node.GetIommus();
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private void WireTrace()
    {
        Conduit.Traced += e => Trace.Add(new BoardTraceEvent(e.Time, BoardTraceKind.Smc, "smc", e.Name, e));
        Smmu.Faulted += f => Trace.Add(f.Time, BoardTraceKind.SmmuFault, Smmu.Name, $"sid 0x{f.StreamId:x} {f.Kind.ToString().ToLowerInvariant()} {f.Iova} {f.Status}" + (f.ContextBank >= 0 ? $" cb{f.ContextBank}" : " (global)"));
        Bus.FaultRaised += f => Trace.Add(f.Time, BoardTraceKind.BusFault, "bus", $"{f.Master} {f.Kind.ToString().ToLowerInvariant()} {f.Address}+0x{f.Length:x} {(f.Status == BusStatus.Denied ? "denied by " + f.Region : "decodes to nothing")}");
        foreach (var r in Remoteprocs)
            r.Core.Changed += e => Trace.Add(e.Time, BoardTraceKind.Dsp, e.Core, $"{e.State}: {e.What}");
    }

    public ScmDispatcher Dispatcher { get; }
}

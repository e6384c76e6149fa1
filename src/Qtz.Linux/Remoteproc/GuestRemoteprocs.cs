using Qtz.DeviceTree;
using Qtz.Kernel.Iommu;
using Qtz.Linux.Bridge;
using Qtz.Platform.Boards;
using Qtz.Platform.Socs;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.Linux.Guest;
using Qtz.Linux.Run;
using Qtz.Linux.Suites;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Pas;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Linux.Remoteproc;

/// <summary>
/// The remote processors of qtz's board, served to a real Linux guest: TrustZone's PAS over the guest's
/// RAM, one DSP core per PAS node of the board behind the apps SMMU, QHEE below an EL1 guest (or the
/// KVM host's SMMU reset for an EL2 guest), the device-tree nodes the real <c>qcom_q6v5_pas</c> probes
/// (with our shim's power domains and SMP2P out-states), and the q6v5 handshake raised into the guest:
/// ready, handover, stop-ack, fatal and wdog become SPIs (<see cref="GuestSpis"/>); the guest's "stop"
/// bit comes back through the shim's SMC (<see cref="Smp2pOutFunctionId"/>).
/// </summary>
public sealed partial class GuestRemoteprocs : ILinuxGuestExtension
{
    /// <summary>
    /// The shim's SMP2P out-state update (guest/mod/rproc/qtz_rproc_shim.c): a SiP fast call in qtz's
    /// private range (service 0xFF, command 0x10), SCM layout: a0 = entry (DSP index), a1 = mask, a2 = value.
    /// Real hardware writes SMEM and kicks IPCC instead; there is no such hardware under QEMU.
    /// </summary>
    public const uint Smp2pOutFunctionId = 0xC200_FF10;

    public const byte PrivateService = 0xFF;
    public const byte Smp2pOutCommand = 0x10;

    private readonly List<GuestDsp> _dsps = [];
    private readonly InterruptController _irqs = new();
    private readonly SharedMemory _smem = new();
    private DtTree? _board;
    private GuestWorld? _world;
    private PasService? _pas;
    private Smmu? _smmu;

    public GuestRemoteprocs(GuestRemoteprocOptions? options = null) => Options = options ?? new GuestRemoteprocOptions();

    public GuestRemoteprocOptions Options { get; }

    /// <summary>The board's remoteprocs for a run that brings none of its own (<see cref="LinuxGuestExtensions"/>).</summary>
    public static ILinuxGuestExtension? Default(GuestRunOptions run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Extensions.Any(e => e is GuestRemoteprocs)
            ? null
            : new GuestRemoteprocs(new GuestRemoteprocOptions { Hypervisor = run.Mode == GuestMode.Kvm ? GuestHypervisor.Kvm : GuestHypervisor.Qhee });
    }

    public IReadOnlyList<GuestDsp> Dsps => _dsps;

    /// <summary>TrustZone's PAS, once the guest's secure services are added (<see cref="AddSecureServices"/>).</summary>
    public PasService Pas => _pas ?? throw new InvalidOperationException("the guest's secure services are not added yet");

    /// <summary>The apps SMMU on the guest's bus, once the secure services are added.</summary>
    public Smmu Smmu => _smmu ?? throw new InvalidOperationException("the guest's secure services are not added yet");

    /// <summary>QHEE, when the guest runs at EL1 under it.</summary>
    public Qhee? Qhee { get; private set; }

    /// <summary>The KVM host's SMMU driver stand-in (it only resets the SMMU as Linux's arm-smmu does at probe).</summary>
    public ArmSmmu? HostSmmu { get; private set; }

    /// <summary>The apps SMMU's register window in guest RAM, when the guest programs the SMMU (<see cref="GuestRemoteprocOptions.GuestSmmu"/>).</summary>
    public GuestSmmuWindow? SmmuWindow { get; private set; }

    /// <summary>Every SMC the guest's world served (on the bridge thread), decoded: the suites' trace comparison reads them.</summary>
    public event Action<SmcTraceEvent>? Smc;

    /// <summary>Everything that happened to the DSPs, QHEE and PAS, with virtual time, for the run's trace and the suites.</summary>
    public event Action<GuestRprocEvent>? Traced;

    /// <summary>
    /// Files every run with remoteprocs carries: <c>/qtz/rproc-up.sh</c> loads the real driver and what it
    /// needs (<c>sh /qtz/rproc-up.sh</c> in a guest script).
    /// </summary>
    public static IReadOnlyList<(string Path, byte[] Contents)> GuestFiles =>
        [("qtz/rproc-up.sh", System.Text.Encoding.UTF8.GetBytes(GuestScripts.Load("rproc-up.sh")))];

    public GuestDsp Dsp(string name) =>
        _dsps.FirstOrDefault(d => d.Name == name || d.RprocName == name)
        ?? throw new ArgumentException($"no remote processor '{name}' on this board; have {string.Join(", ", _dsps.Select(d => d.Name))}", nameof(name));

    public void AddSecureServices(GuestWorld world, ScmServiceTable.Builder services)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(services);
        _world = world;
        world.Conduit.Traced += e => Smc?.Invoke(e);
        var tree = BoardPas.Tree(Options.Dtb);
        _board = tree;
        var smmuNode = BoardPas.AppsSmmu(tree)
            ?? throw new LinuxRemoteprocException("qtz's board has no arm,mmu-500 SMMU node with a reg (the DSPs' apps SMMU)");
        var smmuBase = new PhysAddr(smmuNode.GetReg()[0].Address);
        _smmu = Qtz.Soc.SystemMmu.Smmu.AddTo(world.Bus, "apps_smmu", smmuBase, null, _irqs);
        Smmu.Faulted += f => Trace(f.Time, "smmu", $"sid 0x{f.StreamId:x} {f.Kind.ToString().ToLowerInvariant()} {f.Iova} {f.Status}");
        world.Bus.AddRam("qtz-private", Options.PrivateRam.Base, Options.PrivateRam.Size);
        if (Options.GuestSmmu)
        {
            if (Options.Hypervisor != GuestHypervisor.Kvm) throw new LinuxRemoteprocException("a guest-programmed SMMU needs Linux at EL2 (--mode kvm)");
            SmmuWindow = new GuestSmmuWindow(world.Bus, Smmu);
            SmmuWindow.Prefill();
        }

        foreach (var node in BoardPas.Describe(tree)) _dsps.Add(Wire(world, node, _dsps.Count));
        foreach (var dsp in _dsps)
            dsp.Core.Changed += e => Trace(e.Time, e.Core, $"{e.State}: {e.What}");

        var peripherals = _dsps.Select(d => new PasPeripheral(d.PasId, d.Name, d.Carveout, d.Core, d.Hardware.Vmid) { StreamMask = d.Hardware.StreamMask }).ToArray();
        _pas = new PasService(world.World, new SecureBootFuses(FusedRoots.Trusted(Options.TrustRoots)), peripherals);
        Pas.Traced += e => Trace(e.Time, "tz-pas", e.ToString()[(e.Time.ToString().Length + 1)..]);
        Pas.AddTo(services);
        services.Add(PrivateService, Smp2pOutCommand, Smp2pOut, "qtz rproc shim: SMP2P out");

        var half = Options.PrivateRam.Size / 2;
        if (Options.Hypervisor == GuestHypervisor.Qhee)
        {
            Qhee = new Qhee(world.Bus, new QheeOptions { SmmuBase = smmuBase, PageTableRam = new PhysRange(Options.PrivateRam.Base, half) }, peripherals);
            Qhee.Traced += e => Trace(e.Time, "qhee", $"PAS {e.PasId}: {e.What}");
            Qhee.Install(world.Conduit);
        }
        else if (SmmuWindow is not null)
        {
            Trace(world.Clock.Now, "kvm-host", $"apps SMMU programmed by the guest through its window at {SmmuWindow.Range}");
        }
        else
        {
            var pages = new PageAllocator(world.Bus, BusMaster.LinuxEl2, new PhysRange(Options.PrivateRam.Base + half, half));
            HostSmmu = new ArmSmmu(world.Bus, BusMaster.LinuxEl2, smmuBase, pages, Smmu.ContextInterrupts);
            var e = HostSmmu.Probe();
            if (e != Qtz.Kernel.Errno.None) throw new LinuxRemoteprocException($"the KVM host's SMMU reset failed on {smmuNode.Path}: {e}");
            Trace(world.Clock.Now, "kvm-host", $"apps SMMU at {smmuBase} reset as Linux's arm-smmu does: unmatched streams fault");
        }
    }

    public void AddDeviceTreeNodes(GuestWorld world, DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (_board is null) throw new InvalidOperationException("AddSecureServices must run before AddDeviceTreeNodes");
        GuestRemoteprocNodes.Add(tree, _board, _dsps, SmmuWindow);
    }

    public void Started(GuestWorld world, IGuestInterrupts interrupts)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(interrupts);
        foreach (var dsp in _dsps)
        {
            var d = dsp;
            d.Signals.FromDsp.BitChanged += (bit, value) =>
            {
                if (!value) return;
                var offset = bit switch
                {
                    DspSignals.FatalBit => GuestSpis.Fatal,
                    DspSignals.ReadyBit => GuestSpis.Ready,
                    DspSignals.HandoverBit => GuestSpis.Handover,
                    DspSignals.StopAckBit => GuestSpis.StopAck,
                    _ => -1,
                };
                if (offset >= 0) RaiseInto(interrupts, d, offset);
            };
            d.Signals.Watchdog.Raised += _ => RaiseInto(interrupts, d, GuestSpis.Wdog);
        }

        foreach (var injection in Options.Injections) Schedule(world.Clock, injection);
    }

    /// <summary>Injects a fault now (from any thread: it runs on the clock's event thread, at the current virtual instant).</summary>
    public void Inject(RprocFault fault, string dsp)
    {
        var world = _world ?? throw new InvalidOperationException("the guest world is not built yet");
        var target = Dsp(dsp);
        world.Clock.Schedule(TimeSpan.Zero, () => Apply(fault, target), "inject " + dsp);
    }

    /// <summary>Arms <paramref name="injection"/>: it fires <see cref="RprocInjection.At"/> after the DSP first reports ready.</summary>
    private void Schedule(VirtualClock clock, RprocInjection injection)
    {
        var target = Dsp(injection.Dsp);
        var armed = false;
        target.Core.Changed += e =>
        {
            if (armed || e.State != DspState.Running) return;
            armed = true;
            Trace(e.Time, target.Name, $"injection '{injection}' armed: fires {injection.At.TotalMilliseconds:0} ms after this first ready");
            clock.Schedule(injection.At, () => Apply(injection.Fault, target), "inject " + injection);
        };
    }

    private void Apply(RprocFault fault, GuestDsp dsp)
    {
        var state = dsp.Core.State;
        if (state is not (DspState.Running or DspState.Booting))
        {
            Trace(_world!.Clock.Now, dsp.Name, $"injection {fault} ignored: the core is {state}");
            return;
        }

        Trace(_world!.Clock.Now, dsp.Name, $"host injects {fault}");
        switch (fault)
        {
            case RprocFault.Crash: dsp.Core.InjectFatal("err_fatal: injected from the host by qtz"); break;
            case RprocFault.Watchdog: dsp.Core.InjectWatchdog(); break;
            default: dsp.Core.InjectHang(); break;
        }
    }

    private void RaiseInto(IGuestInterrupts interrupts, GuestDsp dsp, int offset)
    {
        var spi = dsp.Spi(offset);
        var taken = interrupts.Raise(spi);
        Trace(_world!.Clock.Now, dsp.Name, $"{GuestSpis.Names[offset]} -> guest SPI {spi}{(taken ? "" : " (not taken: the guest did not answer)")}");
    }

    private ScmReply Smp2pOut(ScmRequest request)
    {
        var index = request.Arg(0);
        if (request.ArgCount != 3 || index >= (ulong)_dsps.Count || request.Arg(1) > uint.MaxValue || request.Arg(2) > uint.MaxValue)
            return ScmReply.Fail(ScmStatus.InvalidArgument);
        var dsp = _dsps[(int)index];
        var before = dsp.Signals.ToDsp.Bits;
        dsp.Signals.ToDsp.Update((uint)request.Arg(1), (uint)request.Arg(2));
        Trace(request.Clock.Now, dsp.Name, $"smp2p out 0x{before:x} -> 0x{dsp.Signals.ToDsp.Bits:x}");
        return ScmReply.Ok();
    }

    private GuestDsp Wire(GuestWorld world, BoardPasNode node, int index)
    {
        var ram = GuestMemoryMap.Ram;
        var carveout = node.Carveout;
        if (carveout.Base.Value < ram.Base.Value || carveout.Base.Value + carveout.Size > ram.Base.Value + ram.Size)
            throw new LinuxRemoteprocException($"{node.CarveoutName}: carveout {carveout} lies outside the guest's RAM {ram}; the guest needs RAM up to 0x{carveout.Base.Value + carveout.Size:x}");
        var signals = new DspSignals(node.Hardware.Name, _irqs);
        var core = new DspCore(node.Hardware.Name, node.Hardware.StreamId, world.Clock, signals, _smem, node.Data.CrashReasonSmem,
            SmmuWindow is { } window ? window.Port(Smmu.Port(node.Hardware.StreamId, node.Hardware.Vmid)) : Smmu.Port(node.Hardware.StreamId, node.Hardware.Vmid));
        return new GuestDsp(index, node.Data, node.Hardware, carveout, node.FirmwareName, node.Node.Name, core, signals) { CarveoutName = node.CarveoutName };
    }

    private void Trace(VirtualTime time, string source, string what) => Traced?.Invoke(new GuestRprocEvent(time, source, what));
}

/// <summary>One thing the guest's remote processors did, for traces and suites.</summary>
public readonly record struct GuestRprocEvent(VirtualTime Time, string Source, string What)
{
    public override string ToString() => $"{Time} {Source}: {What}";
}

/// <summary>qtz's board cannot be served to the guest as asked (a missing node, a carveout outside RAM).</summary>
public sealed class LinuxRemoteprocException(string message) : Exception(message);

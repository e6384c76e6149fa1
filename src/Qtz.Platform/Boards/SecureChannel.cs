using Qtz.Kernel;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.HypAssign;
using Qtz.Secure.Scm;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Platform.Boards;

/// <summary>How to build a <see cref="SecureChannel"/>.</summary>
public sealed record SecureChannelOptions
{
    /// <summary>2: Linux as KVM host (no hypervisor); 1: Linux under a hypervisor.</summary>
    public int KernelExceptionLevel { get; init; } = 2;

    public ShmBridgeSupport ShmBridges { get; init; } = ShmBridgeSupport.Supported;

    public ScmOptions Scm { get; init; } = new();

    /// <summary>Run the SCM probe (convention, tzmem enable, SCM pool) while building.</summary>
    public bool Probe { get; init; } = true;

    /// <summary>False builds a TZ that only speaks SMC32 (the client then probes ARM_32).</summary>
    public bool SecureSmc64 { get; init; } = true;

    public int Seed { get; init; }
}

/// <summary>
/// The smallest board that has both worlds: a clock, a bus with DDR, the SMC conduit, TrustZone's SCM
/// dispatcher (with the SHM bridge and hyp-assign services plus whatever the caller adds) and the
/// kernel's SCM client. The two worlds meet only through the conduit and the bus, as on hardware.
/// Used by end-to-end tests and as the seed of the full board.
/// </summary>
public sealed class SecureChannel
{
    /// <summary>DDR modelled: 1 GiB at 0x8000_0000 (sparse, so it costs only what is touched).</summary>
    public static readonly PhysRange Ddr = new(new PhysAddr(0x8000_0000), 0x4000_0000);

    /// <summary>The kernel's coherent DMA region (tzmem areas come from here): 16 MiB at 0xA000_0000.</summary>
    public static readonly PhysRange KernelDma = new(new PhysAddr(0xA000_0000), 0x0100_0000);

    public SecureChannel(SecureChannelOptions? options = null, Action<ScmServiceTable.Builder>? addServices = null)
    {
        options ??= new SecureChannelOptions();
        Clock = new VirtualClock(options.Seed);
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", Ddr.Base, Ddr.Size);
        Conduit = new SmcConduit(Bus);

        World = new SecureWorld(Bus);
        ShmBridges = new ShmBridgeService(World, options.ShmBridges);
        HypAssign = new HypAssignService(World);
        var services = new ScmServiceTable.Builder().Add(ShmBridges).Add(HypAssign);
        addServices?.Invoke(services);
        Dispatcher = new ScmDispatcher(World, services.Build()) { Smc64Supported = options.SecureSmc64 };
        Conduit.Attach(Dispatcher);

        Dma = new DmaCoherentMemory(KernelDma);
        Scm = new Scm(Conduit, Bus, BusMaster.NonSecureCpu(options.KernelExceptionLevel), Dma, options.Scm);
        if (options.Probe)
        {
            var ret = Scm.Probe();
            if (ret != 0) throw new InvalidOperationException($"SCM probe failed: {ScmErrno.Name(ret)}");
        }
    }

    public VirtualClock Clock { get; }

    public SystemBus Bus { get; }

    public SmcConduit Conduit { get; }

    public SecureWorld World { get; }

    public ScmDispatcher Dispatcher { get; }

    public ShmBridgeService ShmBridges { get; }

    public HypAssignService HypAssign { get; }

    public DmaCoherentMemory Dma { get; }

    public Scm Scm { get; }
}

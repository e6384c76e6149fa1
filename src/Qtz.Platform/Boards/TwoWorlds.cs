using Qtz.Kernel;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.HypAssign;
using Qtz.Secure.Scm;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Errors;
using Qtz.Soc.Smc;

namespace Qtz.Platform.Boards;

/// <summary>How <see cref="TwoWorlds.Wire"/> joins the worlds.</summary>
public sealed record TwoWorldsOptions
{
    /// <summary>The bus master Linux runs as (non-secure EL1 under a hypervisor, EL2 as KVM host).</summary>
    public required BusMaster KernelCpu { get; init; }

    /// <summary>The kernel's coherent DMA region (tzmem areas come from here).</summary>
    public required PhysRange KernelDma { get; init; }

    public ShmBridgeSupport ShmBridges { get; init; } = ShmBridgeSupport.Supported;

    /// <summary>False builds a TZ that only speaks SMC32 (the client then probes ARM_32).</summary>
    public bool SecureSmc64 { get; init; } = true;

    public ScmOptions Scm { get; init; } = new();

    /// <summary>Run the SCM probe (convention, tzmem enable, SCM pool) while wiring.</summary>
    public bool Probe { get; init; } = true;
}

/// <summary>
/// The one place the two worlds are wired, in hardware order: TrustZone's SCM dispatcher (SHM bridge,
/// hyp-assign and whatever the board adds) behind the SMC conduit, then Linux's SCM client over the same
/// conduit and bus, probed. Every board (<see cref="Board"/>, <see cref="SecureChannel"/>, the storage
/// board) wires through here; the worlds meet nowhere else.
/// </summary>
public sealed class TwoWorlds
{
    private TwoWorlds(ShmBridgeService shmBridges, HypAssignService hypAssign, ScmDispatcher dispatcher, DmaCoherentMemory dma, Scm scm)
    {
        ShmBridges = shmBridges;
        HypAssign = hypAssign;
        Dispatcher = dispatcher;
        Dma = dma;
        Scm = scm;
    }

    public ShmBridgeService ShmBridges { get; }

    public HypAssignService HypAssign { get; }

    public ScmDispatcher Dispatcher { get; }

    public DmaCoherentMemory Dma { get; }

    public Scm Scm { get; }

    /// <summary>
    /// Wires <paramref name="world"/> behind <paramref name="conduit"/>, then the kernel's SCM client in front of it.
    /// <paramref name="monitor"/> is EL3's routing when more than the SCM dispatcher answers SMCs (OP-TEE beside it).
    /// </summary>
    public static TwoWorlds Wire(SystemBus bus, SmcConduit conduit, SecureWorld world, TwoWorldsOptions options,
        Action<ScmServiceTable.Builder>? addServices = null, Func<ScmDispatcher, ISecureMonitor>? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(conduit);
        ArgumentNullException.ThrowIfNull(options);
        var shmBridges = new ShmBridgeService(world, options.ShmBridges);
        var hypAssign = new HypAssignService(world);
        var services = new ScmServiceTable.Builder().Add(shmBridges).Add(hypAssign);
        addServices?.Invoke(services);
        var dispatcher = new ScmDispatcher(world, services.Build()) { Smc64Supported = options.SecureSmc64 };
        conduit.Attach(monitor is null ? dispatcher : monitor(dispatcher));

        var dma = new DmaCoherentMemory(options.KernelDma);
        var scm = new Scm(conduit, bus, options.KernelCpu, dma, options.Scm);
        if (options.Probe && scm.Probe() is var ret and not 0)
            throw new QtzException(ErrorKind.Internal, $"SCM probe failed: {ErrnoExtensions.ReturnName(ret)}");
        return new TwoWorlds(shmBridges, hypAssign, dispatcher, dma, scm);
    }
}

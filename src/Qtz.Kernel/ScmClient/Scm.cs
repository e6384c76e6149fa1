using Qtz.Soc;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Kernel.ScmClient;

/// <summary>
/// The SCM client (qcom_scm.c + qcom_scm-smc.c): the one door from kernel drivers into TrustZone. It
/// probes the calling convention once, builds function IDs and arginfo, moves arguments 3..9 into an
/// ext-args buffer from its own tzmem pool, issues the SMC through the conduit at the CPU's exception
/// level, loops on INTERRUPTED (feeding back x6), retries BUSY every 30 ms of virtual time up to the
/// Linux count (non-atomic calls only), and maps TZ status to negative errno values. Non-atomic SMCs
/// are serialised by one lock, held per SMC attempt (not across the BUSY sleeps), as in Linux.
/// Every method returns 0 or a negative errno (<see cref="ScmErrno"/>), never throws for TZ answers.
/// </summary>
public sealed partial class Scm
{
    /// <summary>QCOM_SCM_EBUSY_WAIT_MS.</summary>
    public static readonly TimeSpan BusyWait = TimeSpan.FromMilliseconds(30);

    /// <summary>QCOM_SCM_EBUSY_MAX_RETRY: the loop stops once the retry counter exceeds it (22 SMCs, 21 sleeps).</summary>
    public const int BusyMaxRetry = 20;

    private readonly SmcConduit _conduit;
    private readonly Lock _callLock = new();
    private readonly Lock _probeLock = new();
    private readonly bool _forceArm64;
    private ScmConvention _convention;
    private int _inFlight;

    public Scm(SmcConduit conduit, SystemBus bus, BusMaster cpu, DmaCoherentMemory dma, ScmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(conduit);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(dma);
        if (cpu.Kind != MasterKind.NonSecureCpu)
            throw new ArgumentException($"the SCM client runs on a non-secure CPU (Linux at EL1 or EL2), not {cpu}", nameof(cpu));
        options ??= new ScmOptions();
        _conduit = conduit;
        _forceArm64 = options.ForceArm64;
        Bus = bus;
        Cpu = cpu;
        Options = options;
        Dma = dma;
        TzMem = new TzMem(this, dma, options.TzMemMode, options.Machine);
    }

    public SystemBus Bus { get; }

    public VirtualClock Clock => Bus.Clock;

    /// <summary>The CPU the kernel runs on: its exception level goes with every SMC.</summary>
    public BusMaster Cpu { get; }

    public ScmOptions Options { get; }

    public TzMem TzMem { get; }

    /// <summary>dma_alloc_coherent on the SCM device (PAS metadata when the caller is not the EL2 host).</summary>
    public DmaCoherentMemory Dma { get; }

    /// <summary>The SCM driver's own tzmem pool (ext-args, hyp-assign and driver buffers); null until <see cref="Probe"/>.</summary>
    public TzMemPool? Pool { get; private set; }

    /// <summary>SCM calls issued by this client that have not returned yet (0 whenever no thread is inside a call).</summary>
    public int InFlightCalls => Volatile.Read(ref _inFlight);

    /// <summary>The probed calling convention (__get_convention: probed on first use, then cached).</summary>
    public ScmConvention Convention
    {
        get
        {
            lock (_probeLock)
            {
                if (_convention == ScmConvention.Unknown) _convention = ProbeConvention();
                return _convention;
            }
        }
    }

    /// <summary>qcom_scm_probe's SCM part: convention, tzmem enable (SHM bridges), the SCM pool.</summary>
    public int Probe()
    {
        _ = Convention;
        var ret = TzMem.Enable();
        if (ret != 0) return ret;
        ret = TzMem.CreatePool(Options.Pool, out var pool);
        Pool = pool;
        return ret;
    }

    /// <summary>qcom_scm_call: a yielding (STD) call that may sleep; BUSY is retried.</summary>
    public int Call(ScmDesc desc, out ScmResponse response) => Invoke(desc, Convention, atomic: false, out response);

    /// <summary>qcom_scm_call_atomic: a FAST call; only the INTERRUPTED loop, no BUSY handling, no lock.</summary>
    public int CallAtomic(ScmDesc desc, out ScmResponse response) => Invoke(desc, Convention, atomic: true, out response);

    private ScmConvention ProbeConvention()
    {
        var desc = new ScmDesc(ScmCatalog.Info, ScmCatalog.IsCallAvailable, ArgInfo.Values(1), IsCallAvailableArgument(ScmCatalog.Info, ScmCatalog.IsCallAvailable));
        if (Invoke(desc, ScmConvention.Arm64, atomic: true, out var res) == 0 && res.Result0 == 1) return ScmConvention.Arm64;
        if (_forceArm64) return ScmConvention.Arm64;
        if (Invoke(desc, ScmConvention.Arm32, atomic: true, out res) == 0 && res.Result0 == 1) return ScmConvention.Arm32;
        return ScmConvention.Legacy;
    }

    /// <summary>__scm_smc_call.</summary>
    private int Invoke(ScmDesc desc, ScmConvention convention, bool atomic, out ScmResponse response)
    {
        ArgumentNullException.ThrowIfNull(desc);
        response = default;
        if (convention == ScmConvention.Legacy) return -ScmErrno.EOPNOTSUPP; // the legacy buffer protocol is not modelled (not SA8775p)
        var smc = convention == ScmConvention.Arm64 ? SmcConvention.Smc64 : SmcConvention.Smc32;
        var id = FunctionId.Create(atomic ? SmcCallType.Fast : SmcCallType.Std, smc, desc.Owner, desc.Service, desc.Command);
        var args = desc.Args;
        var call = new SmcCall(Cpu, id.Value, desc.ArgInfo.Value, args[0], args[1], args[2], args[3]);

        TzMemBuffer? extArgs = null;
        if (desc.ArgInfo.UsesExtArgs)
        {
            if (Pool is null) return -ScmErrno.EINVAL;
            extArgs = Pool.Allocate(ScmExtArgs.Entries * sizeof(ulong));
            if (extArgs is null) return -ScmErrno.ENOMEM;
            Span<byte> buffer = stackalloc byte[ScmExtArgs.SizeInBytes(smc)];
            ScmExtArgs.Encode(args, smc, buffer);
            extArgs.Write(0, buffer);
            call = call with { X5 = extArgs.Address.Value };
        }

        using (extArgs)
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                var result = atomic ? SmcWithResume(call) : SmcWithBusyRetry(call);
                response = new ScmResponse(result.X1, result.X2, result.X3);
                return result.X0 != 0 ? ScmErrno.FromScmStatus(result.X0) : 0;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>__scm_smc_do for non-atomic calls: lock per attempt, 30 ms sleeps, give up after the counter passes 20.</summary>
    private SmcResult SmcWithBusyRetry(SmcCall call)
    {
        var retryCount = 0;
        while (true)
        {
            SmcResult result;
            lock (_callLock) result = SmcWithResume(call);
            if ((long)result.X0 != ScmStatus.Busy) return result;
            if (retryCount++ > BusyMaxRetry) return result;
            Clock.Advance(BusyWait);
        }
    }

    /// <summary>__scm_smc_do_quirk: x6 starts at 0; on INTERRUPTED re-issue with x0 = 1 and the returned x6.</summary>
    private SmcResult SmcWithResume(SmcCall call)
    {
        var result = _conduit.Smc(call with { X6 = 0, X7 = 0 });
        while (result.X0 == (ulong)ScmStatus.Interrupted)
            result = _conduit.Smc(call with { X0 = result.X0, X6 = result.X6, X7 = 0 });
        return result;
    }

    /// <summary>SCM_SMC_FNID(svc, cmd) | (ARM_SMCCC_OWNER_SIP &lt;&lt; 24): what IS_CALL_AVAIL takes.</summary>
    internal static ulong IsCallAvailableArgument(byte service, byte command) =>
        ((ulong)SmcOwner.Sip << 24) | ((ulong)service << 8) | command;
}

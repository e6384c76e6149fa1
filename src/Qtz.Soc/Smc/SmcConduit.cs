using Qtz.Soc.Bus;
using Qtz.Soc.Time;

namespace Qtz.Soc.Smc;

/// <summary>EL3: whatever answers an SMC once it reaches the secure monitor (the SCM dispatcher).</summary>
public interface ISecureMonitor
{
    /// <summary>Handles one SMC. Must return for any register values: guest input is never an exception.</summary>
    SmcResult Handle(in SmcCall call);
}

/// <summary>
/// A hypervisor at EL2 that traps SMCs issued at EL1 (QHEE does, for PAS calls among others). It may
/// answer the call itself or forward it — typically as itself — with <see cref="SmcConduit.Smc"/>.
/// </summary>
public interface IHypervisorSmcTrap
{
    /// <summary>Whether this SMC from EL1 is trapped at all; untrapped calls go straight to EL3.</summary>
    bool Traps(in SmcCall call);

    SmcResult Trap(in SmcCall call, SmcConduit conduit);
}

/// <summary>
/// The SMC instruction: the only way the non-secure world (and a hypervisor) reaches TrustZone.
/// Registers x0..x7 go in, x0..x3 and x6 come out; the caller's exception level travels with the call
/// so EL1 calls can be trapped by a hypervisor. Every SMC, trapped or not, is one
/// <see cref="SmcTraceEvent"/> (decoded only when someone listens).
/// </summary>
public sealed class SmcConduit
{
    private readonly SystemBus _bus;
    private ISecureMonitor? _monitor;
    private long _callCount;

    public SmcConduit(SystemBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
    }

    public VirtualClock Clock => _bus.Clock;

    /// <summary>Set by a hypervisor model (QHEE) to trap EL1 SMCs; null when Linux runs at EL2 itself.</summary>
    public IHypervisorSmcTrap? HypervisorTrap { get; set; }

    /// <summary>SMCs executed since power-on (including the ones a hypervisor issued while handling a trap).</summary>
    public long CallCount => Interlocked.Read(ref _callCount);

    /// <summary>One event per completed SMC, in completion order (a forwarded call completes before its trap).</summary>
    public event Action<SmcTraceEvent>? Traced;

    /// <summary>Installs the secure monitor. Until then every SMC answers SMCCC NOT_SUPPORTED (-1).</summary>
    public void Attach(ISecureMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        if (Interlocked.CompareExchange(ref _monitor, monitor, null) is not null)
            throw new InvalidOperationException("a secure monitor is already attached to this SMC conduit");
    }

    /// <summary>Executes an SMC with the given registers and returns x0..x3, x6.</summary>
    public SmcResult Smc(in SmcCall call)
    {
        Interlocked.Increment(ref _callCount);
        var tracing = Traced is not null;
        var start = Clock.Now;
        var arguments = tracing ? SmcTraceDecoder.Arguments(call, _bus) : default;
        var trap = HypervisorTrap;
        var trapped = trap is not null && call.Caller is { Kind: MasterKind.NonSecureCpu, ExceptionLevel: 1 } && trap.Traps(call);
        SmcResult result;
        if (trapped) result = trap!.Trap(call, this);
        else if (Volatile.Read(ref _monitor) is { } monitor) result = monitor.Handle(call);
        else result = SmcResult.FromStatus(ScmStatus.Error);

        if (tracing)
            Traced?.Invoke(new SmcTraceEvent(start, Clock.Now - start, call, result, arguments, trapped));
        return result;
    }
}

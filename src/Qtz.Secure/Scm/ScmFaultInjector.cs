namespace Qtz.Secure.Scm;

/// <summary>A transient answer TZ can give instead of running a call, to exercise the client's retry loops.</summary>
public enum ScmFault : byte
{
    /// <summary>QCOM_SCM_V2_EBUSY (-12): non-atomic callers sleep 30 ms and retry, at most 22 SMCs.</summary>
    Busy,

    /// <summary>QCOM_SCM_INTERRUPTED (1) with a session word in x6: the caller re-issues at once with x0 = 1.</summary>
    Interrupted,
}

/// <summary>
/// Fault injection for the dispatcher: "answer the next N matching calls with BUSY / INTERRUPTED". Rules
/// are consulted in the order they were added; a matching rule with calls left wins and counts down.
/// A resumed (interrupted) call is matched again, so N interruptions of one call take N resumes.
/// </summary>
public sealed class ScmFaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private long _injected;

    /// <summary>Faults answered so far.</summary>
    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>Answers the next <paramref name="times"/> calls to (<paramref name="service"/>, <paramref name="command"/>) — any call when null — with <paramref name="fault"/>.</summary>
    public void Inject(ScmFault fault, int times, byte? service = null, byte? command = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        if (times == 0) return;
        lock (_gate) _rules.Add(new Rule(fault, service, command) { Remaining = times });
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    internal bool TryTake(byte service, byte command, out ScmFault fault)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Service is { } s && s != service) continue;
                if (rule.Command is { } c && c != command) continue;
                fault = rule.Fault;
                if (--rule.Remaining == 0) _rules.Remove(rule);
                Interlocked.Increment(ref _injected);
                return true;
            }
        }

        fault = default;
        return false;
    }

    private sealed class Rule(ScmFault fault, byte? service, byte? command)
    {
        public ScmFault Fault { get; } = fault;
        public byte? Service { get; } = service;
        public byte? Command { get; } = command;
        public int Remaining { get; set; }
    }
}

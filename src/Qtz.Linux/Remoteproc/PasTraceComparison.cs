using System.Globalization;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Remoteproc;

/// <summary>One SMC of a DSP's start or stop, reduced to what must agree between two clients of the same TZ.</summary>
public readonly record struct PasTraceStep(string Caller, string Call, string Arguments, string Answer)
{
    public override string ToString() => $"{Caller} {Call}({Arguments}) -> {Answer}";
}

/// <summary>Where two decoded PAS traces part, or null when they agree call for call.</summary>
public sealed record PasTraceDifference(int Index, PasTraceStep? Real, PasTraceStep? Model)
{
    public override string ToString() =>
        $"step {Index}: real driver {(Real?.ToString() ?? "(nothing)")}, qtz's C# model {(Model?.ToString() ?? "(nothing)")}";
}

/// <summary>
/// Fidelity by trace: the decoded SCM calls one DSP's start and stop make — the real qcom_q6v5_pas in
/// the guest against qtz's C# PasRemoteproc on the same board — reduced to caller, call, the arguments
/// that are the same on both sides (PAS id, arginfo, carveout base and size, bridge packing) and the
/// answer; buffer addresses and bridge handles differ by nature and are left out. Calls of other DSPs
/// (the guest boots all five at once) are filtered out by PAS id and, for QHEE's bridges, by carveout.
/// </summary>
public static class PasTraceComparison
{
    public static IReadOnlyList<PasTraceStep> Steps(IEnumerable<SmcTraceEvent> events, uint pasId, PhysRange carveout, int stops = 1)
    {
        ArgumentNullException.ThrowIfNull(events);
        var steps = new List<PasTraceStep>();
        var handles = new HashSet<ulong>();
        var started = false;
        foreach (var e in events)
        {
            var id = e.FunctionId;
            if (!id.IsScm) continue;
            if (id.Service == ScmCatalog.Pil && e.Call.X2 == pasId)
            {
                started = true;
                steps.Add(Step(e, id.Command == 0x02 ? $"pas={pasId}, 0x{e.Call.X3:x}, 0x{e.Call.X4:x}" : $"pas={pasId}"));
                // A trapped call is logged when it returns, after what the hypervisor did for it: Linux's own SHUTDOWN ends the stop.
                if (id.Command == 0x06 && e.Caller.Kind == MasterKind.NonSecureCpu && --stops == 0) break;
            }
            else if (started && id.Service == ScmCatalog.Mp && id.Command == ScmCatalog.MpShmBridgeCreate && (e.Call.X2 & ~0xFFFUL) == carveout.Base.Value)
            {
                handles.Add(e.Result.X2);
                steps.Add(Step(e, $"0x{e.Call.X2:x}, 0x{e.Call.X3:x}, 0x{e.Call.X4:x}, 0x{e.Call.X5:x}"));
            }
            else if (started && id.Service == ScmCatalog.Mp && id.Command == ScmCatalog.MpShmBridgeDelete && handles.Remove(e.Call.X2))
            {
                steps.Add(Step(e, "handle"));
            }
        }

        return steps;
    }

    public static PasTraceDifference? Compare(IReadOnlyList<PasTraceStep> real, IReadOnlyList<PasTraceStep> model)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(model);
        for (var i = 0; i < Math.Max(real.Count, model.Count); i++)
        {
            PasTraceStep? r = i < real.Count ? real[i] : null;
            PasTraceStep? m = i < model.Count ? model[i] : null;
            if (r != m) return new PasTraceDifference(i, r, m);
        }

        return null;
    }

    private static PasTraceStep Step(SmcTraceEvent e, string arguments) =>
        new(e.Caller.Kind == MasterKind.Hypervisor ? "qhee" : e.Caller.Kind == MasterKind.NonSecureCpu ? "linux" : e.Caller.ToString(),
            e.Name, $"arginfo 0x{e.Call.X1:x}, " + arguments,
            e.Status == ScmStatus.Success ? string.Create(CultureInfo.InvariantCulture, $"ok x1={e.Result.X1}") : e.StatusName);
}

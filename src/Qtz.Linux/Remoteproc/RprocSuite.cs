using System.Collections.Concurrent;
using Qtz.Platform.Boards;
using Qtz.Soc;
using Qtz.Linux.Run;
using Qtz.Linux.Setup;
using Qtz.Linux.Suites;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Dsp;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Remoteproc;

/// <summary>One "qtz-rproc: NAME STEP STATE" line of the guest script: the sysfs state after a step.</summary>
public readonly record struct RprocStep(string Rproc, string Step, string State);

/// <summary>The remoteproc suite's outcome: the guest's steps, qtz's side of the story, the verdict.</summary>
public sealed record RprocSuiteResult(
    GuestMode Mode,
    IReadOnlyList<RprocStep> Steps,
    IReadOnlyList<string> Checks,
    IReadOnlyList<string> Problems,
    IReadOnlyList<GuestRprocEvent> Events,
    GuestRunResult Run)
{
    public bool Passed => Run.Succeeded && Problems.Count == 0;
}

/// <summary>
/// <c>qtz linux test rproc</c>: the real qcom_q6v5_pas (Debian 6.12) probes qtz's five SA8775p remoteproc
/// nodes and, in one boot, every DSP auto-boots, stops and starts through sysfs on qtz's DSP model; a
/// crash of one DSP injected from the host makes the driver recover it; every DSP stops again. The
/// start and stop of each DSP must match qtz's C# PAS driver model call for call
/// (<see cref="PasTraceComparison"/>). In KVM mode (Linux at EL2, no QHEE) the checked scenario is the
/// 2024 cover letter's failure: TZ authenticates and releases each DSP, but nobody programmed its SMMU
/// stream, so the DSP faults on its first fetch and Linux gives up on it.
/// </summary>
public class RprocSuite : ILinuxSuite
{
    public virtual string Name => "rproc";

    protected virtual GuestMode Mode => GuestMode.Qhee;

    public LinuxSuiteReport Run(LinuxSuiteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var report = new LinuxSuiteReport(Name);
        var root = RealFirmware.Require(PasSuite.RequiredFiles);
        context.Progress(Mode == GuestMode.Qhee
            ? $"linux test {Name}: real qcom_q6v5_pas, five SA8775p DSPs through sysfs, host-injected crash of {CrashedDsp}, traces against the C# model; one boot"
            : $"linux test {Name}: Linux at EL2 without QHEE, 6.12's PAS driver: every DSP must fault in the SMMU and fail; one boot");
        var result = Execute(root, context.Cache, Mode, context.Console, context.Cancel);
        report.Boots.Add(result.Run);
        foreach (var c in result.Checks) report.Check(c, true);
        foreach (var p in result.Problems) report.Check(p, false);
        report.Wall = wall.Elapsed;
        return report;
    }

    public const string CrashedDsp = "adsp";
    public const string Marker = "qtz-rproc: ";

    public static RprocSuiteResult Execute(string firmwareRoot, LinuxCache cache, GuestMode mode, Action<string>? console, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(firmwareRoot);
        var remoteprocs = new GuestRemoteprocs(new GuestRemoteprocOptions { Hypervisor = mode == GuestMode.Kvm ? GuestHypervisor.Kvm : GuestHypervisor.Qhee });
        var events = new ConcurrentQueue<GuestRprocEvent>();
        var smcs = new ConcurrentQueue<SmcTraceEvent>();
        remoteprocs.Traced += events.Enqueue;
        remoteprocs.Smc += smcs.Enqueue;
        var full = mode == GuestMode.Qhee;
        var run = GuestRun.Run(new GuestRunOptions
        {
            Mode = mode,
            Firmware = firmwareRoot,
            Script = full ? $"sh /qtz/rproc.sh full {CrashedDsp}\n" : "sh /qtz/rproc.sh autoboot\n",
            ExtraFiles = [("qtz/rproc.sh", System.Text.Encoding.UTF8.GetBytes(GuestScripts.Load("rproc.sh"))), .. GuestRemoteprocs.GuestFiles],
            Extensions = [remoteprocs],
            Timeout = TimeSpan.FromMinutes(3),
            Console = line =>
            {
                console?.Invoke(line);
                // The script's cue: the host injects the crash (the guest itself has no way to crash a DSP).
                if (line.StartsWith(Marker + "inject crash ", StringComparison.Ordinal))
                    remoteprocs.Inject(RprocFault.Crash, line[(Marker.Length + "inject crash ".Length)..].Trim());
            },
        }, cache, cancel);

        var steps = Parse(run.Console);
        var checks = new List<string>();
        var problems = new List<string>();
        var ev = events.ToArray();
        if (full) CheckQhee(remoteprocs, steps, ev, [.. smcs], firmwareRoot, checks, problems);
        else CheckKvm(remoteprocs, steps, ev, run.Console, checks, problems);
        if (!run.Succeeded) problems.Add($"the guest run ended {run.Outcome} (script status {run.ScriptStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})");
        return new RprocSuiteResult(mode, steps, checks, problems, ev, run);
    }

    public static IReadOnlyList<RprocStep> Parse(IEnumerable<string> console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var steps = new List<RprocStep>();
        foreach (var line in console)
        {
            if (!line.StartsWith(Marker, StringComparison.Ordinal)) continue;
            var parts = line[Marker.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && parts[0] is not ("count" or "inject" or "insmod"))
                steps.Add(new RprocStep(parts[0], parts[1], parts[2]));
        }

        return steps;
    }

    private static void CheckQhee(GuestRemoteprocs r, IReadOnlyList<RprocStep> steps, GuestRprocEvent[] events, SmcTraceEvent[] smcs, string firmwareRoot, List<string> checks, List<string> problems)
    {
        foreach (var dsp in r.Dsps)
        {
            var name = dsp.RprocName;
            Expect(steps, name, "autoboot", "running", checks, problems);
            Expect(steps, name, "stop", "offline", checks, problems);
            Expect(steps, name, "start", "running", checks, problems);
            Expect(steps, name, "final-stop", "offline", checks, problems);
            var runs = events.Count(e => e.Source == dsp.Name && e.What.StartsWith("Running:", StringComparison.Ordinal));
            var wanted = dsp.Name == CrashedDsp ? 3 : 2;
            Check(runs >= wanted, $"{dsp.Name}: qtz's core reached Running {runs} times (at least {wanted})", checks, problems);
            var acks = events.Count(e => e.Source == dsp.Name && e.What.StartsWith("stop-ack -> guest SPI", StringComparison.Ordinal));
            Check(acks >= 2, $"{dsp.Name}: qtz's core answered both sysfs stops with stop-ack ({acks})", checks, problems);
            Check(dsp.Core.State == DspState.Reset, $"{dsp.Name}: qtz's core is back in reset at the end ({dsp.Core.State})", checks, problems);
        }

        var crashed = r.Dsp(CrashedDsp);
        Expect(steps, crashed.RprocName, "recovered", "running", checks, problems);
        Check(events.Any(e => e.Source == crashed.Name && e.What.Contains("host injects Crash", StringComparison.Ordinal)),
            $"{crashed.Name}: the host injected the crash", checks, problems);
        Check(!events.Any(e => e.Source == "smmu"), "no SMMU fault on any DSP stream", checks, problems);
        Check(r.Qhee?.ActiveStreams == 0, $"QHEE holds no DSP stream at the end ({r.Qhee?.ActiveStreams})", checks, problems);

        // Fidelity by trace: each DSP's first start and stop in the guest against qtz's C# PAS driver.
        using var board = Board.Build(new BoardOptions { FirmwareDirectory = firmwareRoot });
        var model = new ConcurrentQueue<SmcTraceEvent>();
        board.Conduit.Traced += model.Enqueue;
        foreach (var dsp in r.Dsps)
        {
            model.Clear();
            var driver = board.Driver(dsp.Name);
            if (driver is null)
            {
                problems.Add($"{dsp.Name}: qtz's C# model did not probe it: {board.ProbeErrors.GetValueOrDefault(dsp.Name)}");
                continue;
            }

            driver.Rproc.Boot();
            board.Clock.Advance(Board.SettleTime);
            driver.Rproc.Shutdown();
            var real = PasTraceComparison.Steps(smcs, dsp.PasId, dsp.Carveout);
            var mine = PasTraceComparison.Steps(model, dsp.PasId, dsp.Carveout);
            var difference = PasTraceComparison.Compare(real, mine);
            Check(difference is null && real.Count > 0,
                difference is null ? $"{dsp.Name}: start+stop trace equals qtz's C# model ({real.Count} calls: {string.Join(", ", real.Select(s => s.Caller + " " + s.Call))})" : $"{dsp.Name}: trace differs at {difference}",
                checks, problems);
        }
    }

    private static void CheckKvm(GuestRemoteprocs r, IReadOnlyList<RprocStep> steps, GuestRprocEvent[] events, IReadOnlyList<string> console, List<string> checks, List<string> problems)
    {
        foreach (var dsp in r.Dsps)
        {
            var step = steps.FirstOrDefault(s => s.Rproc == dsp.RprocName && s.Step == "autoboot");
            Check(step.State is not null and not "running", $"{dsp.RprocName}: auto-boot did not reach running ({step.State ?? "no line"})", checks, problems);
            var sid = $"sid 0x{dsp.Hardware.StreamId:x} ";
            Check(events.Any(e => e.Source == "smmu" && e.What.StartsWith(sid, StringComparison.Ordinal)),
                $"{dsp.Name}: its first access faulted in the SMMU (stream 0x{dsp.Hardware.StreamId:x} unmatched)", checks, problems);
            Check(events.Any(e => e.Source == dsp.Name && e.What.StartsWith("Crashed:", StringComparison.Ordinal)),
                $"{dsp.Name}: qtz's core crashed instead of raising ready", checks, problems);
            Check(events.Any(e => e.Source == "tz-pas" && e.What.Contains($"PAS {dsp.PasId} AUTH_AND_RESET", StringComparison.Ordinal) && !e.What.Contains("refused", StringComparison.OrdinalIgnoreCase))
                || events.Any(e => e.Source == dsp.Name && e.What.StartsWith("Booting:", StringComparison.Ordinal)),
                $"{dsp.Name}: TrustZone authenticated it and released reset (the call itself succeeds at EL2)", checks, problems);
        }

        Check(console.Any(l => l.Contains("start timed out", StringComparison.Ordinal) || l.Contains("fatal error", StringComparison.Ordinal)),
            "the guest's driver reports the failure (fatal error / start timed out)", checks, problems);
    }

    private static void Expect(IReadOnlyList<RprocStep> steps, string rproc, string step, string state, List<string> checks, List<string> problems)
    {
        var found = steps.Where(s => s.Rproc == rproc && s.Step == step).Select(s => s.State).FirstOrDefault();
        Check(found == state, $"{rproc}: {step} -> {found ?? "no line"} (want {state})", checks, problems);
    }

    private static void Check(bool ok, string what, List<string> checks, List<string> problems) => (ok ? checks : problems).Add(what);
}

/// <summary><c>qtz linux test rproc-kvm</c>: the KVM-host failure scenario of <see cref="RprocSuite"/>.</summary>
public sealed class RprocKvmSuite : RprocSuite
{
    public override string Name => "rproc-kvm";

    protected override GuestMode Mode => GuestMode.Kvm;
}

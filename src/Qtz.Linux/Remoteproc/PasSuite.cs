using System.Collections.Concurrent;
using Qtz.Kernel;
using Qtz.Platform.Boards;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Linux.Run;
using Qtz.Linux.Setup;
using Qtz.Linux.Suites;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Remoteproc;

/// <summary>
/// What one image got from TrustZone through a client, in Linux's own terms: each step's return value
/// (0, TZ's positive result code from <c>ret ?: result[0]</c>, or a negative errno);
/// <see cref="NotReached"/> where an earlier step failed.
/// </summary>
public readonly record struct PasOutcome(int Init, int Load, int Auth, int Shutdown)
{
    /// <summary>The client's value for a step it never got to (-ENOEXEC).</summary>
    public const int NotReached = -8;

    public static PasOutcome Accepted => new(0, 0, 0, 0);

    public override string ToString() => $"init={Init} load={Load} auth={Auth} shutdown={Shutdown}";
}

/// <summary>One image of the PAS suite: what the real client got in the guest and what qtz's in-process PAS says it must get.</summary>
public sealed record PasCaseResult(string Firmware, string Dsp, uint PasId, Tamper? Tamper, PasOutcome? Guest, PasOutcome Expected)
{
    /// <summary>TrustZone answered the real driver exactly as it answers the same bytes in process (INIT_IMAGE and AUTH_AND_RESET).</summary>
    public bool Passed => Guest is { } g && g.Init == Expected.Init && g.Auth == Expected.Auth
        && (Tamper is not null || (g.Load == 0 && g.Shutdown == 0));
}

/// <summary>The PAS suite's outcome.</summary>
public sealed record PasSuiteResult(IReadOnlyList<PasCaseResult> Cases, GuestRunResult Run, IReadOnlyList<string> Problems)
{
    public bool Passed => Run.Succeeded && Problems.Count == 0 && Cases.Count > 0 && Cases.All(c => c.Passed);
}

/// <summary>
/// <c>qtz linux test pas</c>: the real mdt_loader and qcom_scm PAS calls (our qtz_pas_client module, in
/// qcom_q6v5_pas's order) authenticate the real SA8775p images in qtz's PAS with their real signatures,
/// in one boot; a copy with a flipped segment byte and one with a flipped hash-table byte must be
/// refused with the very result codes qtz's PAS gives the same bytes in process.
/// </summary>
public sealed class PasSuite : ILinuxSuite
{
    public string Name => "pas";

    public LinuxSuiteReport Run(LinuxSuiteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var report = new LinuxSuiteReport(Name);
        var root = RealFirmware.Require(RequiredFiles);
        context.Progress($"linux test pas: {Images.Count} real SA8775p images from {root} + 2 tampered copies of {TamperedDsp}, one boot");
        var result = Execute(root, context.Cache, GuestMode.Qhee, context.Console, context.Cancel);
        report.Boots.Add(result.Run);
        foreach (var c in result.Cases)
        {
            var what = c.Tamper is { } t ? $"{c.Firmware} ({TamperedImage.Suffix(t)}) refused as in process" : $"{c.Firmware} authenticated (real signature, PAS id {c.PasId})";
            report.Check(what, c.Passed, $"guest {c.Guest?.ToString() ?? "(no line)"}, in process {c.Expected}");
        }

        foreach (var p in result.Problems) report.Check(p, false);
        report.Check("guest run", result.Run.Succeeded, $"{result.Run.Outcome}, script status {result.Run.ScriptStatus}");
        report.Wall = wall.Elapsed;
        return report;
    }

    public static readonly IReadOnlyList<string> Images = ["adsp", "cdsp0", "cdsp1", "gpdsp0", "gpdsp1"];

    /// <summary>The image whose tampered copies are tried.</summary>
    public const string TamperedDsp = "adsp";

    public static IEnumerable<string> RequiredFiles => Images.Select(i => $"{RealFirmware.SocFolder}/{i}.mbn");

    public static PasSuiteResult Execute(string firmwareRoot, LinuxCache cache, GuestMode mode, Action<string>? console, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(firmwareRoot);
        var work = Directory.CreateTempSubdirectory("qtz-pas-").FullName;
        try
        {
            var remoteprocs = new GuestRemoteprocs(new GuestRemoteprocOptions { Hypervisor = mode == GuestMode.Kvm ? GuestHypervisor.Kvm : GuestHypervisor.Qhee });
            var cases = PrepareFirmware(firmwareRoot, work);
            var planned = new List<(string Firmware, string Dsp, uint PasId, Tamper? Tamper, PasOutcome Expected)>();
            foreach (var (file, dsp, tamper, bytes) in cases)
            {
                var expected = tamper is null ? PasOutcome.Accepted : InProcess(bytes, dsp, work);
                planned.Add((file, dsp, 0, tamper, expected));
            }

            var problems = new List<string>();
            var run = GuestRun.Run(new GuestRunOptions
            {
                Mode = mode,
                Firmware = Path.Combine(work, "firmware"),
                Script = Invocation(planned),
                ExtraFiles = [("qtz/pas.sh", System.Text.Encoding.UTF8.GetBytes(GuestScripts.Load("pas.sh")))],
                Extensions = [remoteprocs],
                Console = console,
            }, cache, cancel);

            var reported = Parse(run.Console);
            var results = planned.Select(p =>
            {
                var dsp = remoteprocs.Dsps.FirstOrDefault(d => d.Name == p.Dsp);
                return new PasCaseResult(p.Firmware, p.Dsp, dsp?.PasId ?? 0, p.Tamper, reported.GetValueOrDefault(p.Firmware), p.Expected);
            }).ToArray();
            foreach (var r in results.Where(r => r.Guest is null)) problems.Add($"{r.Firmware}: the guest printed no qtz-pas line");
            return new PasSuiteResult(results, run, problems);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The "qtz-pas:" lines of a console, by firmware name (the last line wins).</summary>
    public static IReadOnlyDictionary<string, PasOutcome> Parse(IEnumerable<string> console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var found = new Dictionary<string, PasOutcome>(StringComparer.Ordinal);
        foreach (var line in console)
        {
            var at = line.IndexOf("qtz-pas: fw=", StringComparison.Ordinal);
            if (at < 0) continue;
            var fields = line[(at + "qtz-pas: ".Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            if (!fields.TryGetValue("fw", out var fw)) continue;
            if (fields.TryGetValue("request_firmware", out var rf))
            {
                found[fw] = new PasOutcome(Int(rf), PasOutcome.NotReached, PasOutcome.NotReached, PasOutcome.NotReached);
                continue;
            }

            found[fw] = new PasOutcome(Int(fields.GetValueOrDefault("init")), Int(fields.GetValueOrDefault("load")), Int(fields.GetValueOrDefault("auth")), Int(fields.GetValueOrDefault("shutdown")));
        }

        return found;
    }

    private static int Int(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : int.MinValue;

    private static string Invocation(IEnumerable<(string Firmware, string Dsp, uint PasId, Tamper? Tamper, PasOutcome Expected)> planned)
    {
        var board = BoardPas.Describe((NamedBlob?)null);
        var args = planned.Select(p =>
        {
            var d = board.First(b => b.Name == p.Dsp);
            return $"{p.Firmware} {d.PasId} 0x{d.Carveout.Base.Value:x} 0x{d.Carveout.Size:x}";
        });
        return "sh /qtz/pas.sh " + string.Join(" ", args) + "\n";
    }

    /// <summary>Copies the five images into WORK/firmware/qcom/sa8775p plus the tampered copies; returns the cases in order.</summary>
    private static List<(string File, string Dsp, Tamper? Tamper, byte[] Bytes)> PrepareFirmware(string root, string work)
    {
        var folder = Path.Combine(work, "firmware", RealFirmware.SocFolder);
        Directory.CreateDirectory(folder);
        var cases = new List<(string, string, Tamper?, byte[])>();
        foreach (var image in Images)
        {
            var bytes = File.ReadAllBytes(Path.Combine(root, RealFirmware.SocFolder, image + ".mbn"));
            File.WriteAllBytes(Path.Combine(folder, image + ".mbn"), bytes);
            cases.Add(($"{RealFirmware.SocFolder}/{image}.mbn", image, null, bytes));
            if (image != TamperedDsp) continue;
            foreach (var tamper in new[] { Tamper.Segment, Tamper.HashTable })
            {
                var name = $"{image}-{TamperedImage.Suffix(tamper)}.mbn";
                var spoiled = TamperedImage.Make(bytes, tamper);
                File.WriteAllBytes(Path.Combine(folder, name), spoiled);
                cases.Add(($"{RealFirmware.SocFolder}/{name}", image, tamper, spoiled));
            }
        }

        return cases;
    }

    /// <summary>
    /// What qtz's PAS answers the same bytes in process: a board (same DT, same fuses) whose C# PAS driver
    /// boots <paramref name="dsp"/> from them; the INIT_IMAGE and AUTH_AND_RESET results from its SMC trace,
    /// read the way Linux reads them (<c>ret ?: result[0]</c>).
    /// </summary>
    public static PasOutcome InProcess(byte[] image, string dsp, string work)
    {
        var dir = Path.Combine(work, "in-process-" + Guid.NewGuid().ToString("n")[..8]);
        var folder = Path.Combine(dir, RealFirmware.SocFolder);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, dsp + ".mbn"), image);
        var events = new ConcurrentQueue<SmcTraceEvent>();
        using var board = Board.Build(new BoardOptions { FirmwareDirectory = dir });
        board.Conduit.Traced += events.Enqueue;
        var driver = board.Driver(dsp) ?? throw new InvalidOperationException($"qtz's board did not probe {dsp}: {board.ProbeErrors.GetValueOrDefault(dsp)}");
        driver.Rproc.Boot();
        int Step(byte command) =>
            events.Where(e => !e.TrappedByHypervisor || e.Caller.Kind == MasterKind.NonSecureCpu)
                .LastOrDefault(e => e.FunctionId.IsScm && e.FunctionId.Service == ScmCatalog.Pil && e.FunctionId.Command == command && e.Caller.Kind == MasterKind.NonSecureCpu) is { } e
                ? (e.Status == ScmStatus.Success ? (int)e.Result0 : ScmErrno.FromScmStatus(e.Result.X0))
                : PasOutcome.NotReached;
        var init = Step(0x01);
        var auth = Step(0x05);
        return new PasOutcome(init, init == 0 ? 0 : PasOutcome.NotReached, auth, PasOutcome.NotReached);
    }
}

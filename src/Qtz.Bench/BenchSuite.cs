using System.Globalization;

namespace Qtz.Bench;

/// <summary>
/// The headline comparisons of <c>qtz bench</c>, each measured side by side in one run: the real qtz
/// process against the tool a user would reach for instead (skipped, with the reason, when that tool
/// is not installed), plus in-process IOMMU rates. Inputs are generated into a temp directory that is
/// removed afterwards. The rows and their order never depend on the options or on what is installed,
/// so a README table made from one run can be checked against another.
/// </summary>
public static class BenchSuite
{
    private static string Method(BenchOptions o) =>
        $"median of {o.Runs} timed run(s){(o.WarmUp ? " after one untimed warm-up run per command (which also warms the page cache)" : ", no warm-up")}; " +
        "the commands of one comparison run interleaved, in rotating order; whole-process wall time of `/bin/sh -c COMMAND` with stdout to /dev/null, " +
        "except the per-call rows, whose programs run straight from their argv with stdout into a drained pipe; " +
        "peak RSS from /usr/bin/time (%M, the largest process of the command); in-process IOMMU rates: median of the same number of timed loops after an untimed warm-up cycle";

    /// <summary>The peer tools whose versions a report names.</summary>
    private static readonly (string Tool, string VersionCommand)[] PeerTools =
    [
        ("openssl", "openssl version"), ("sha384sum", "sha384sum --version"), ("sha256sum", "sha256sum --version"),
        ("dtc", "dtc --version"), ("cat", "cat --version"), ("dd", "dd --version"),
        ("pil-squasher", "command -v pil-squasher"),
    ];

    public static BenchReport Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var machine = BenchMachine.Current();
        var dir = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "qtz-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var run = new BenchRun(options, machine, dir);
        var steps = new Func<BenchRun, IEnumerable<BenchResult>>[]
        {
            r => FirmwareComparisons.Verify(r, 6),
            r => FirmwareComparisons.Verify(r, 5),
            FirmwareComparisons.BootVsVerify,
            r => [ToolComparisons.DtDump(r)],
            ToolComparisons.MtdRead,
            ToolComparisons.MtdWrite,
            r => IommuRates.Results(r),
            PerCallComparisons.Results,
            GuestComparisons.Results,
        };
        var results = new List<BenchResult>();
        try
        {
            for (var i = 0; i < steps.Length; i++)
            {
                options.Progress?.Invoke((double)i / steps.Length);
                results.AddRange(steps[i](run));
            }

            options.Progress?.Invoke(1);
            var peers = PeerTools.Where(p => ProcessTimer.IsInstalled(p.Tool))
                .Select(p => new PeerVersion(p.Tool, Tidy(ProcessTimer.FirstLine(p.VersionCommand))))
                .Prepend(new PeerVersion("qtz", "qtz " + (ProcessTimer.FirstLine(run.Qtz("--version")) ?? "unknown")))
                .ToArray();
            return new BenchReport(machine, BenchMachine.LoadNow(), Method(options), options.WarmUp, options.Runs, (long)options.SizeBytes, peers, results);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>"OpenSSL 3.0.19 27 Jan 2026 (Library: …)" → "OpenSSL 3.0.19 27 Jan 2026"; "Version: DTC 1.6.1" → "DTC 1.6.1".</summary>
    private static string Tidy(string? version)
    {
        if (version is null) return "unknown";
        var paren = version.IndexOf(" (Library:", StringComparison.Ordinal);
        if (paren > 0) version = version[..paren];
        return version.StartsWith("Version: ", StringComparison.Ordinal) ? version["Version: ".Length..] : version;
    }

    internal static string Size(long bytes) => bytes >= 1 << 30 && bytes % (1 << 30) == 0
        ? (bytes >> 30).ToString(CultureInfo.InvariantCulture) + " GiB"
        : bytes >= 1 << 20
            ? (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB"
            : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB";
}

/// <summary>What every comparison needs: the options, the machine, the scratch directory and how to measure.</summary>
internal sealed class BenchRun(BenchOptions options, BenchMachine machine, string directory)
{
    public BenchOptions Options { get; } = options;

    public BenchMachine Machine { get; } = machine;

    public string Directory { get; } = directory;

    /// <summary>The shell command line running this qtz with <paramref name="arguments"/>.</summary>
    public string Qtz(params string[] arguments) => string.Join(' ', QtzArgv(arguments).Select(ProcessTimer.Quote));

    /// <summary>This qtz with <paramref name="arguments"/>, as an argv to run without a shell.</summary>
    public string[] QtzArgv(params string[] arguments) => [Options.Qtz.FileName, .. Options.Qtz.Prefix, .. arguments];

    public IReadOnlyList<BenchFigure> Measure(IReadOnlyList<TimedCommand> commands, long bytes) =>
        ProcessTimer.Interleaved(commands, Options.Runs, Options.WarmUp, bytes, Directory);

    /// <summary>A comparison row, or the row saying why it was skipped when the peer is not installed.</summary>
    public BenchResult Row(string name, string inputs, BenchFigure qtz, BenchFigure? peer, string peerTool, BenchTarget? target = null) =>
        peer is null
            ? new BenchResult(name, inputs, Machine, qtz, null, $"{peerTool} is not installed", target)
            : new BenchResult(name, inputs, Machine, qtz, peer, null, target);
}

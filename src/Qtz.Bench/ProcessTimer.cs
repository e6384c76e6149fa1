using System.Diagnostics;
using System.Globalization;

namespace Qtz.Bench;

/// <summary>One command of a comparison group: the tool's name (for the figure) and its shell command line.</summary>
public sealed record TimedCommand(string Tool, string ShellCommand)
{
    /// <summary>
    /// The program and its arguments, run as they are (no shell, no <c>/usr/bin/time</c>): the per-call
    /// rows, where a shell's own start (about 5 ms here) would be half of a 10 ms figure.
    /// </summary>
    public IReadOnlyList<string>? Argv { get; init; }

    /// <summary>A command run directly from its argv; <see cref="ShellCommand"/> is its quoted form, for display.</summary>
    public static TimedCommand Direct(string tool, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        return new TimedCommand(tool, string.Join(' ', argv.Select(ProcessTimer.Quote))) { Argv = argv };
    }
}

/// <summary>
/// Whole-process timings of shell command lines (run through <c>/bin/sh -c</c>, stdout to /dev/null,
/// so redirections work and output costs nothing). The commands of one comparison are measured
/// together: one untimed warm-up run of each (page cache, disk, dynamic loader), then
/// <c>runs</c> rounds that run every command once, interleaved and in a rotating order, so a burst
/// of load from elsewhere hits qtz and its peer alike instead of one of them.
/// </summary>
public static class ProcessTimer
{
    private const string TimeTool = "/usr/bin/time";

    public static bool IsInstalled(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, tool)));

    /// <summary>Figures for every command, in the order given; <paramref name="bytes"/> (when above 0) adds MiB/s.</summary>
    public static IReadOnlyList<BenchFigure> Interleaved(IReadOnlyList<TimedCommand> commands, int runs, bool warmUp, long bytes, string scratch)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var samples = commands.Select(_ => new List<double>()).ToArray();
        var rss = new double?[commands.Count];
        var exits = new int[commands.Count];
        var errors = new string?[commands.Count];
        for (var round = warmUp ? -1 : 0; round < Math.Max(1, runs); round++)
        {
            for (var k = 0; k < commands.Count; k++)
            {
                var i = round < 0 ? k : (k + round) % commands.Count;
                var run = Once(commands[i], scratch);
                if (run.ExitCode != 0 && exits[i] == 0)
                {
                    exits[i] = run.ExitCode;
                    errors[i] = run.LastErrorLine;
                }

                if (round < 0) continue;
                samples[i].Add(run.Seconds);
                if (run.PeakRssKiB is { } kib) rss[i] = Math.Max(rss[i] ?? 0, kib / 1024.0);
            }
        }

        return commands.Select((c, i) =>
        {
            var median = Median(samples[i]);
            return new BenchFigure(c.Tool, c.ShellCommand, median, samples[i].Min(), samples[i].Max(), samples[i].Count, samples[i].ToArray(),
                MiBPerSecond: bytes > 0 ? bytes / (1024.0 * 1024.0) / median : null, PeakRssMiB: rss[i], ExitCode: exits[i], Error: errors[i]);
        }).ToArray();
    }

    public sealed record Run(double Seconds, int ExitCode, long? PeakRssKiB, string? LastErrorLine);

    /// <summary>One run of <paramref name="command"/>: straight from its argv when it has one, otherwise through the shell.</summary>
    public static Run Once(TimedCommand command, string scratch)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Argv is { } argv ? Direct(argv) : Once(command.ShellCommand, scratch);
    }

    /// <summary>
    /// One run of a program without a shell: its stdout is read and dropped (a pipe, as when a user pipes
    /// it on), its stderr kept for the last line. No peak RSS: that needs /usr/bin/time around it. Both
    /// pipes are drained by blocked threads, never the thread pool: a pool worker spins for work after
    /// each item, and that spinning took the core a two-thread <c>qtz fw verify</c> hashes on (52 against
    /// 38 ms for the same run timed from outside).
    /// </summary>
    private static Run Direct(IReadOnlyList<string> argv)
    {
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        var stderr = "";
        var errors = new Thread(() => stderr = process.StandardError.ReadToEnd()) { IsBackground = true, Name = "bench stderr" };
        errors.Start();
        process.StandardOutput.BaseStream.CopyTo(Stream.Null);
        process.WaitForExit();
        errors.Join();
        var seconds = clock.Elapsed.TotalSeconds;
        return new Run(seconds, process.ExitCode, null, process.ExitCode == 0 ? null : LastLine(stderr));
    }

    /// <summary>
    /// One run. Under <c>/usr/bin/time</c> when it exists, for the peak resident set of the shell and
    /// everything it waited for (the kernel's maxrss of the child tree); its own start costs about a
    /// millisecond, the same for both sides of a comparison.
    /// </summary>
    public static Run Once(string shellCommand, string scratch)
    {
        ArgumentNullException.ThrowIfNull(shellCommand);
        var rssFile = File.Exists(TimeTool) ? Path.Combine(scratch, "rss-" + Guid.NewGuid().ToString("N") + ".txt") : null;
        var start = new ProcessStartInfo(rssFile is null ? "/bin/sh" : TimeTool) { RedirectStandardError = true, UseShellExecute = false };
        if (rssFile is not null)
        {
            foreach (var a in new[] { "-f", "%M", "-o", rssFile, "/bin/sh" }) start.ArgumentList.Add(a);
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec >/dev/null; " + shellCommand);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        long? rss = null;
        if (rssFile is not null && File.Exists(rssFile))
        {
            // GNU time writes "Command exited with non-zero status N" above the format line when it fails.
            var last = File.ReadAllLines(rssFile).LastOrDefault(l => l.Length > 0);
            if (long.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib)) rss = kib;
            File.Delete(rssFile);
        }

        return new Run(seconds, process.ExitCode, rss, process.ExitCode == 0 ? null : LastLine(stderr));
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    /// <summary>The first line a command prints on stdout or stderr (for tool versions); null if it fails to start.</summary>
    public static string? FirstLine(string shellCommand)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(shellCommand + " 2>&1");
        using var process = Process.Start(start);
        if (process is null) return null;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
    }

    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>A single-quoted shell word.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}

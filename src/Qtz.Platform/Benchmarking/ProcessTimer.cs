using System.Diagnostics;

namespace Qtz.Platform.Benchmarking;

/// <summary>Whole-process timings: a command line run through <c>/bin/sh -c</c> (so redirections work), best of N.</summary>
public static class ProcessTimer
{
    public static bool IsInstalled(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, tool)));

    public static (double Seconds, int ExitCode) Best(string shellCommand, int repeat)
    {
        var best = double.MaxValue;
        var exit = 0;
        for (var i = 0; i < Math.Max(1, repeat); i++)
        {
            var (seconds, code) = Once(shellCommand);
            best = Math.Min(best, seconds);
            exit = code;
        }

        return (best, exit);
    }

    public static (double Seconds, int ExitCode) Once(string shellCommand)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(shellCommand);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        _ = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (clock.Elapsed.TotalSeconds, process.ExitCode);
    }

    /// <summary>A single-quoted shell word.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}

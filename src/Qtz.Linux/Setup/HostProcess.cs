using System.Diagnostics;
using System.Text;

namespace Qtz.Linux.Setup;

/// <summary>Runs a host program to completion, keeping its combined output (for the error line and a log).</summary>
internal static class HostProcess
{
    public sealed record Outcome(int ExitCode, string Output)
    {
        /// <summary>The last non-empty line of the output, for a one-line error.</summary>
        public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
    }

    public static Outcome Run(string program, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        lock (output) return new Outcome(process.ExitCode, output.ToString());
    }

    /// <summary>Runs it and throws <see cref="LinuxEnvironmentException"/> with <paramref name="what"/> and the last output line when it fails.</summary>
    public static Outcome Check(string what, string program, IEnumerable<string> arguments, string? workingDirectory = null, string? log = null)
    {
        var outcome = Run(program, arguments, workingDirectory);
        if (log is not null) File.WriteAllText(log, outcome.Output);
        if (outcome.ExitCode != 0)
            throw new LinuxEnvironmentException($"{what} failed (exit {outcome.ExitCode}): {outcome.LastLine}" + (log is null ? "" : $" (log: {log})"));
        return outcome;
    }
}

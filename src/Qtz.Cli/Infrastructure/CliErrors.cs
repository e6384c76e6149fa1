namespace Qtz.Cli.Infrastructure;

/// <summary>
/// Turns an exception into the one line a user reads on stderr and the exit code. Typed errors from
/// the parts derive from <see cref="FormatException"/> (malformed input; InvalidDataException is sealed), <see cref="ArgumentException"/>
/// (a bad value) or <see cref="IOException"/> (a file problem): all are the user's to fix, exit 2.
/// Anything else is a qtz bug, exit 3 — still one line, never a stack trace (set QTZ_DEBUG=1 for it).
/// </summary>
public static class CliErrors
{
    /// <summary>
    /// Writes the one line to <paramref name="stderr"/>; with <paramref name="jsonStdout"/> (the command ran
    /// with <c>--json</c>) also <c>{"error": …, "exitCode": …, "kind": …, "command": …}</c> there.
    /// </summary>
    public static int Report(Exception error, TextWriter stderr, TextWriter? jsonStdout = null, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(stderr);
        var code = Classify(error);
        var prefix = code == ExitCodes.InternalError ? "qtz: internal error: " : "qtz: ";
        stderr.WriteLine(prefix + OneLine(error.Message));
        jsonStdout?.Write(JsonOutput.Serialize(new CliErrorView(OneLine(error.Message), code, Kind(error, code), command)) + "\n");
        if (Environment.GetEnvironmentVariable("QTZ_DEBUG") == "1")
            stderr.WriteLine(error.ToString());
        return code;
    }

    public static int Classify(Exception error) => error switch
    {
        CliUsageException => ExitCodes.BadInput,
        CheckFailedException => ExitCodes.CheckFailed,
        InvalidDataException or FormatException or ArgumentException or IOException
            or UnauthorizedAccessException or OverflowException => ExitCodes.BadInput,
        _ => ExitCodes.InternalError,
    };

    private static string Kind(Exception error, int code) => error switch
    {
        CliUsageException => "usage",
        _ => code switch
        {
            ExitCodes.CheckFailed => "checkFailed",
            ExitCodes.BadInput => "badInput",
            _ => "internal",
        },
    };

    public static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}

/// <summary>A command-line mistake the user can fix (bad number, missing file argument).</summary>
public sealed class CliUsageException(string message) : Exception(message);

/// <summary>The checked thing failed (exit 1): the message says which check and where.</summary>
public sealed class CheckFailedException(string message) : Exception(message);

using Qtz.Soc.Errors;

namespace Qtz.Cli.Infrastructure;

/// <summary>
/// Turns an exception into the one line a user reads on stderr and the exit code (<see cref="Classify"/>).
/// A qtz bug is exit 3 — still one line, never a stack trace (set QTZ_DEBUG=1 for it).
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

    /// <summary>
    /// The one place an error becomes an exit code: qtz's own errors by their <see cref="ErrorKind"/>; the
    /// format parsers' <see cref="FormatException"/> and .NET's own input errors (a bad value, a file
    /// problem) are bad input; anything else is a qtz bug.
    /// </summary>
    public static int Classify(Exception error) => error switch
    {
        QtzException q => q.Kind switch
        {
            ErrorKind.CheckFailed => ExitCodes.CheckFailed,
            ErrorKind.BadInput or ErrorKind.Unsupported => ExitCodes.BadInput,
            _ => ExitCodes.InternalError,
        },
        InvalidDataException or FormatException or ArgumentException or IOException
            or UnauthorizedAccessException or OverflowException => ExitCodes.BadInput,
        _ => ExitCodes.InternalError,
    };

    private static string Kind(Exception error, int code) => error switch
    {
        CliUsageException => "usage",
        QtzException { Kind: ErrorKind.Unsupported } => "unsupported",
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
public sealed class CliUsageException(string message) : QtzException(ErrorKind.BadInput, message);

/// <summary>The checked thing failed (exit 1): the message says which check and where.</summary>
public sealed class CheckFailedException(string message) : QtzException(ErrorKind.CheckFailed, message);

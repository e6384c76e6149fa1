namespace Qtz.Shell;

/// <summary>
/// A script the shell cannot run: unknown verb, wrong arity, bad number, unknown remoteproc, an
/// unterminated quote. Exit 2. The message is already <c>SOURCE:LINE: what</c>.
/// </summary>
public sealed class ShellScriptException(string source, int line, string problem)
    : FormatException($"{source}:{line}: {problem}")
{
    public string ScriptName => source;

    public int Line => line;

    public string Problem => problem;
}

/// <summary>An <c>expect</c> that did not hold, or an operation the board refused. Exit 1.</summary>
public sealed class ShellCheckFailedException(string source, int line, string problem)
    : Exception($"{source}:{line}: {problem}")
{
    public int Line => line;
}

/// <summary>Thrown by an <see cref="IShellTarget"/> when the board refuses an operation (with the reason).</summary>
public sealed class ShellOperationException(string message) : InvalidOperationException(message);

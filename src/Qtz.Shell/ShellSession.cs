namespace Qtz.Shell;

/// <summary>
/// The two ways to drive a board with the one grammar: a script (parsed whole and name-checked before
/// the first statement runs; the first error stops it) and an interactive prompt (an error is
/// printed and the prompt continues). Exit codes: 0 ok, 1 a check failed, 2 a script error.
/// </summary>
public static class ShellSession
{
    public const int Ok = 0;
    public const int CheckFailed = 1;
    public const int ScriptError = 2;

    /// <summary>Parses a script without a board: syntax errors surface before anything boots.</summary>
    public static IReadOnlyList<ShellCommand> Parse(string text, string source) => new ShellParser(source).Parse(text);

    /// <summary>Runs an already-parsed script; errors go to <paramref name="error"/> as one line.</summary>
    public static int RunScript(IReadOnlyList<ShellCommand> commands, string source, IShellTarget target, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var executor = new ShellExecutor(target, output, source);
        try
        {
            executor.CheckNames(commands);
            executor.Run(commands);
            return Ok;
        }
        catch (ShellScriptException bad)
        {
            error.WriteLine(bad.Message);
            return ScriptError;
        }
        catch (ShellCheckFailedException failed)
        {
            error.WriteLine(failed.Message);
            return CheckFailed;
        }
    }

    /// <summary>Parses and runs script text in one go (tests, <c>-c</c>).</summary>
    public static int RunScript(string text, string source, IShellTarget target, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        IReadOnlyList<ShellCommand> commands;
        try
        {
            commands = Parse(text, source);
        }
        catch (ShellScriptException bad)
        {
            error.WriteLine(bad.Message);
            return ScriptError;
        }

        return RunScript(commands, source, target, output, error);
    }

    /// <summary>
    /// A prompt loop: one line at a time, same grammar. <c>exit</c>/<c>quit</c> or end of input leaves;
    /// returns 1 if any expect failed during the session, else 0.
    /// </summary>
    public static int Interactive(IShellTarget target, TextReader input, TextWriter output, TextWriter error, string prompt = "qtz> ")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        const string source = "<stdin>";
        var parser = new ShellParser(source);
        var executor = new ShellExecutor(target, output, source);
        var result = Ok;
        output.WriteLine("qtz shell — 'help' lists the verbs, 'exit' leaves.");
        for (var lineNumber = 1; ; lineNumber++)
        {
            output.Write(prompt);
            output.Flush();
            var line = input.ReadLine();
            if (line is null || line.Trim() is "exit" or "quit")
                return result;
            try
            {
                foreach (var command in parser.Parse(line, lineNumber))
                    executor.Execute(command);
            }
            catch (ShellScriptException bad)
            {
                error.WriteLine(bad.Message);
            }
            catch (ShellCheckFailedException failed)
            {
                error.WriteLine(failed.Message);
                result = CheckFailed;
            }
        }
    }
}

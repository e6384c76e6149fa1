using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Platform.Boards;
using Qtz.Shell.Reports;
using Qtz.Shell;
using Qtz.Platform.Tracing;

namespace Qtz.Cli.Commands;

/// <summary>
/// <c>qtz shell [SCRIPT] [-c "CMD; CMD"]</c>: boot a board (same options as <c>qtz boot</c>), then run a
/// script, a -c line, stdin, or an interactive prompt when stdin is a terminal. The script is parsed
/// before the board boots, so syntax errors cost nothing. --trace/--report are written at the end,
/// also after a failed check (that is when they are most useful).
/// </summary>
internal static class ShellCommand
{
    internal static Command Create()
    {
        var script = new Argument<string?>("SCRIPT") { Description = "A .qtz script (one statement per line or ';'-separated)", Arity = ArgumentArity.ZeroOrOne };
        var inline = new Option<string?>("-c") { Description = "Run these statements instead of a script: -c \"rproc list; wait 1s\"" };
        var trace = new Option<string?>("--trace") { Description = TraceFiles.OptionDescription };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report (memory map, SMMU mappings, timeline, final state)" };
        var noBoot = new Option<bool>("--no-boot") { Description = "Do not boot the remoteprocs first (they start offline; use rproc start)" };
        var command = new Command("shell", "Operate a booted board: rproc start/stop/crash/recovery/coredump, wait, smmu show, mem read/map, scm trace, fuses, expect. " +
            "Exit 0 ok, 1 an expect or operation failed, 2 a script error (the message names the line).");
        command.Arguments.Add(script);
        var boardOptions = new BoardCommandOptions();
        foreach (var o in boardOptions.All.Concat(new Option[] { inline, trace, report, noBoot }))
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(script);
            var line = parse.GetValue(inline);
            if (path is not null && line is not null)
                throw new CliUsageException("give a SCRIPT or -c, not both");
            var tracePath = parse.GetValue(trace);
            if (tracePath is not null) TraceExport.FormatFor(tracePath);
            var (source, text) = path is not null ? (path, ReadScript(path))
                : line is not null ? ("-c", line)
                : Console.IsInputRedirected ? ("<stdin>", Console.In.ReadToEnd())
                : (null, null);
            IReadOnlyList<Qtz.Shell.ShellCommand>? commands = null;
            try
            {
                commands = text is null ? null : ShellSession.Parse(text, source!);
            }
            catch (ShellScriptException bad)
            {
                Console.Error.WriteLine(bad.Message);
                return ExitCodes.BadInput;
            }

            var board = Board.Build(boardOptions.Read(parse));
            if (!parse.GetValue(noBoot)) board.Boot();
            var target = new BoardShellTarget(board);
            var code = commands is null
                ? ShellSession.Interactive(target, Console.In, Console.Out, Console.Error)
                : ShellSession.RunScript(commands, source!, target, Console.Out, Console.Error);
            if (tracePath is not null) TraceExport.WriteFile(tracePath, target.TraceRecords);
            if (parse.GetValue(report) is { } reportPath) HtmlReport.WriteFile(reportPath, target.CreateReport());
            return code;
        });
        return command;
    }

    private static string ReadScript(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new CliUsageException($"script {path}: no such file");
}

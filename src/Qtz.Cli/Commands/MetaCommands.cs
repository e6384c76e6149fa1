using System.CommandLine;
using Qtz.Cli.Infrastructure;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz help [COMMAND…]</c>, <c>qtz completion bash|zsh|fish</c> and <c>qtz man</c>: the tool describing itself.</summary>
internal static class MetaCommands
{
    public static Command CreateHelp()
    {
        var path = new Argument<string[]>("COMMAND") { Description = "The command to describe, e.g. fw verify", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "Print help for qtz or for one command: qtz help fw verify") { path };
        command.SetAction(parse => QtzApp.Help(parse.GetValue(path) ?? [], Console.Out, Console.Error));
        return command;
    }

    public static Command CreateCompletion()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion",
            "Print a shell completion script: source <(qtz completion bash), qtz completion zsh > \"${fpath[1]}/_qtz\", " +
            "qtz completion fish > ~/.config/fish/completions/qtz.fish") { shell };
        command.SetAction(parse =>
        {
            var tree = CommandDocs.Walk(QtzApp.BuildRoot());
            Console.Out.Write(parse.GetValue(shell) switch
            {
                "bash" => Completion.Bash(tree),
                "zsh" => Completion.Zsh(tree),
                _ => Completion.Fish(tree),
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateMan()
    {
        var command = new Command("man", "Print the qtz(1) manual page (roff), generated from the command tree: qtz man | man -l -");
        command.SetAction(_ =>
        {
            Console.Out.Write(ManPage.Render(CommandDocs.Walk(QtzApp.BuildRoot()), QtzApp.Version));
            return ExitCodes.Ok;
        });
        return command;
    }
}

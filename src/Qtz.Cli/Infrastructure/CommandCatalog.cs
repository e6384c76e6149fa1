using System.CommandLine;

namespace Qtz.Cli.Infrastructure;

/// <summary>Every top-level command, in the order <c>qtz --help</c> lists them. One line per command group.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.BootCommand.Create();
        yield return Commands.ShellCommand.Create();
        yield return Commands.FwCommand.Create();
        yield return Commands.DtCommand.Create();
        yield return Commands.MtdCommand.Create();
        yield return Commands.ScmCommand.Create();
        yield return Commands.FuzzCommand.Create();
        yield return Commands.BenchCommand.Create();
    }
}

using System.CommandLine;

namespace Qtz.Cli.Infrastructure;

/// <summary>Every top-level command, in the order <c>qtz --help</c> lists them. One line per command group.</summary>
internal static class CommandCatalog
{
    /// <summary>Names with factories, so a run builds only the command it invokes (each tree costs start-up time).</summary>
    public static IReadOnlyList<(string Name, Func<Command> Create)> Entries { get; } =
    [
        ("boot", Commands.BootCommand.Create),
        ("shell", Commands.ShellCommand.Create),
        ("fw", Commands.FwCommand.Create),
        ("dt", Commands.DtCommand.Create),
        ("mtd", Commands.MtdCommand.Create),
        ("scm", Commands.ScmCommand.Create),
        ("fuzz", Commands.FuzzCommand.Create),
        ("bench", Commands.BenchCommand.Create),
        ("help", Commands.MetaCommands.CreateHelp),
        ("completion", Commands.MetaCommands.CreateCompletion),
        ("man", Commands.MetaCommands.CreateMan),
        ("linux", Commands.LinuxCommand.Create),
    ];

    public static IEnumerable<Command> All() => Entries.Select(e => e.Create());
}

using System.CommandLine;
using System.CommandLine.Parsing;

namespace Qtz.Cli.Infrastructure;

/// <summary>Builds the command tree and runs it with one-line errors and documented exit codes.</summary>
public static class QtzApp
{
    /// <summary>The package version (Directory.Build.props), compiled in as a constant.</summary>
    public const string Version = BuildVersion.Value;

    public const string Description =
        "qtz — a hardware-free model of Qualcomm's secure-world interfaces (SCM/TrustZone, PAS remoteproc, " +
        "SMMU, TZ-managed SPI-NOR) with the Linux drivers that use them.";

    /// <summary>
    /// The command tree; with <paramref name="args"/> naming a top-level command, only that command's
    /// subtree (nothing else could match, and building every tree costs start-up time).
    /// </summary>
    /// <remarks>
    /// A <see cref="RootCommand"/> carries --help, --version and the [suggest] directive, and making
    /// them reads System.CommandLine's localized strings through a ResourceManager: reflection over the
    /// assembly and a .resources parse, about a tenth of a native <c>qtz dt dump</c>. A run whose
    /// arguments cannot reach them (no help or version alias, no directive, no response file) gets a
    /// plain root without them, which parses everything else the same way.
    /// </remarks>
    public static Command BuildRoot(string[]? args = null)
    {
        var description = Description + "\n" + ExitCodes.HelpText;
        Command root = args is null || NeedsRootOptions(args) ? new RootCommand(description) : new Command("qtz", description);
        var invoked = args is [var first, ..] ? CommandCatalog.Entries.Where(e => e.Name == first).ToList() : [];
        foreach (var command in invoked.Count == 1 ? [invoked[0].Create()] : CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    private static readonly string[] RootOptionTokens = ["--help", "-h", "/h", "-?", "/?", "--version"];

    private static bool NeedsRootOptions(string[] args) =>
        args.Length == 0 || args.Any(a => RootOptionTokens.Contains(a) || a.StartsWith('@') || a.StartsWith('['));

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Bare "qtz" is a request for help; "--version" answers before any command is built.
        if (args.Length == 0) args = ["--help"];
        if (args is ["--version"])
        {
            stdout.WriteLine(Version);
            return ExitCodes.Ok;
        }

        ParseResult? parse = null;
        try
        {
            var root = BuildRoot(args);
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            parse = root.Parse(args);
            if (UsageErrors.Find(parse, args) is { } problem)
            {
                // System.CommandLine prints help for usage errors; we keep to one line a user can act on.
                var usage = new CliUsageException(problem + $" (see '{CommandPath(parse.CommandResult)} --help')");
                return CliErrors.Report(usage, stderr, WantsJson(parse) ? stdout : null, CommandPath(parse.CommandResult));
            }

            return parse.Invoke(config);
        }
        catch (Exception error)
        {
            var json = parse is not null && WantsJson(parse) ? stdout : null;
            return CliErrors.Report(error, stderr, json, parse is null ? null : CommandPath(parse.CommandResult));
        }
    }

    /// <summary>Help for a command path (<c>qtz help fw verify</c>); exit 2 when the path names no command.</summary>
    public static int Help(IReadOnlyList<string> path, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(path);
        Command command = BuildRoot([.. path]);
        var walked = "qtz";
        foreach (var name in path)
        {
            var next = command.Subcommands.FirstOrDefault(c => c.Name == name);
            if (next is null)
            {
                return CliErrors.Report(new CliUsageException($"unknown command '{name}' for '{walked}'" +
                    UsageErrors.Suggest(name, command.Subcommands.Select(c => c.Name)) + $" (see '{walked} --help')"), stderr);
            }

            command = next;
            walked += " " + name;
        }

        return Run([.. path, "--help"], stdout, stderr);
    }

    /// <summary>"qtz fw verify": the invoked command's path, as a user types it.</summary>
    public static string CommandPath(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
            names.Insert(0, c.Parent is null ? "qtz" : c.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>--json given to a command that has it: errors then go to stdout as a JSON object too.</summary>
    private static bool WantsJson(ParseResult parse) =>
        parse.Tokens.Any(t => t.Value == "--json")
        && parse.CommandResult.Command.Options.Any(o => o.Name == "--json");
}

using System.CommandLine;
using System.Reflection;

namespace Qtz.Cli.Infrastructure;

/// <summary>Builds the command tree and runs it with one-line errors and documented exit codes.</summary>
public static class QtzApp
{
    public static string Version =>
        typeof(QtzApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>
    /// The command tree; with <paramref name="args"/> naming a top-level command, only that command's
    /// subtree (nothing else could match, and building every tree costs start-up time).
    /// </summary>
    public static RootCommand BuildRoot(string[]? args = null)
    {
        var root = new RootCommand(
            "qtz — a hardware-free model of Qualcomm's secure-world interfaces (SCM/TrustZone, PAS remoteproc, " +
            "SMMU, TZ-managed SPI-NOR) with the Linux drivers that use them.\n" + ExitCodes.HelpText);
        var invoked = args is [var first, ..] ? CommandCatalog.Entries.Where(e => e.Name == first).ToList() : [];
        foreach (var command in invoked.Count == 1 ? [invoked[0].Create()] : CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var root = BuildRoot(args);
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // System.CommandLine prints help for usage errors; we keep to one line a user can act on.
                stderr.WriteLine("qtz: " + CliErrors.OneLine(parse.Errors[0].Message) + " (see 'qtz --help')");
                return ExitCodes.BadInput;
            }

            return parse.Invoke(config);
        }
        catch (Exception error)
        {
            return CliErrors.Report(error, stderr);
        }
    }
}

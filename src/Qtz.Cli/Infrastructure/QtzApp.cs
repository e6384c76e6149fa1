using System.CommandLine;
using System.Reflection;

namespace Qtz.Cli.Infrastructure;

/// <summary>Builds the command tree and runs it with one-line errors and documented exit codes.</summary>
public static class QtzApp
{
    public static string Version =>
        typeof(QtzApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "qtz — a hardware-free model of Qualcomm's secure-world interfaces (SCM/TrustZone, PAS remoteproc, " +
            "SMMU, TZ-managed SPI-NOR) with the Linux drivers that use them.\n" + ExitCodes.HelpText);
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var root = BuildRoot();
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

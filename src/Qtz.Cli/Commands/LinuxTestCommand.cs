using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Linux;
using Qtz.Linux.Setup;
using Qtz.Linux.Suites;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz linux test SUITE</c>: the real-kernel suites (<see cref="LinuxSuites"/>).</summary>
internal static class LinuxTestCommand
{
    public static Command Create()
    {
        var suite = new Argument<string>("SUITE") { Description = "Suite to run: " + string.Join(", ", LinuxSuites.All.Select(s => s.Name)) };
        var json = JsonOutput.CreateOption();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Stream the guest console" };
        var command = new Command("test", "Run a real-kernel test suite against qtz's TrustZone (" + string.Join(", ", LinuxSuites.All.Select(s => s.Name)) + ")");
        command.Arguments.Add(suite);
        command.Options.Add(json);
        command.Options.Add(verbose);
        command.SetAction(parse =>
        {
            var name = parse.GetValue(suite)!;
            var chosen = LinuxSuites.All.FirstOrDefault(s => s.Name == name)
                ?? throw new CliUsageException($"unknown suite '{name}': expected {string.Join(", ", LinuxSuites.All.Select(s => s.Name))}");
            var asJson = parse.GetValue(json);
            using var interrupt = new LinuxInterrupt();
            var context = new LinuxSuiteContext(LinuxCache.Default(),
                asJson ? _ => { } : line => Console.Out.WriteLine(line),
                parse.GetValue(verbose) && !asJson ? line => Console.Out.WriteLine(line) : null,
                interrupt.Token);
            var report = chosen.Run(context);
            if (asJson) JsonOutput.Write(Console.Out, LinuxSuiteView.Of(report));
            else Console.Out.WriteLine(report.Summary);
            if (report.Interrupted) return ExitCodes.CheckFailed;
            return report.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}

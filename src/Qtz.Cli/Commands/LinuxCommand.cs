using System.CommandLine;
using System.Runtime.InteropServices;
using Qtz.Cli.Infrastructure;
using Qtz.Linux;
using Qtz.Linux.Setup;
using Qtz.Linux.Suites;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz linux</c>: a real arm64 Linux kernel under QEMU with qtz as its TrustZone.</summary>
internal static class LinuxCommand
{
    public static Command Create()
    {
        var linux = new Command("linux", "Boot a real arm64 Linux (Debian 6.12) under QEMU against qtz's TrustZone: setup, run a script, run the test suites");
        linux.Subcommands.Add(Setup());
        linux.Subcommands.Add(LinuxRunCommand.Create());
        linux.Subcommands.Add(LinuxTestCommand.Create());
        linux.Subcommands.Add(Bench());
        return linux;
    }

    private static Command Bench()
    {
        var json = JsonOutput.CreateOption();
        var command = new Command("bench", "Measure the real-kernel figures: SMC round trip from the guest, boot to /init, the whole storage suite, MTD MiB/s real driver vs C# model");
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            using var interrupt = new LinuxInterrupt();
            var asJson = parse.GetValue(json);
            var rows = LinuxBench.Run(new LinuxSuiteContext(LinuxCache.Default(), asJson ? _ => { } : Console.Out.WriteLine, null, interrupt.Token));
            if (asJson)
            {
                JsonOutput.Write(Console.Out, new LinuxBenchView(Qtz.Bench.BenchMachine.Current().ToString(), rows));
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine($"machine: {Qtz.Bench.BenchMachine.Current()}");
            foreach (var r in rows)
            {
                var verdict = r.Met is { } met ? (met ? $"  target {r.Target}: met" : $"  target {r.Target}: MISSED") : "";
                Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Name,-52} {r.Value,10:0.00} {r.Unit,-5}{verdict}  ({r.Detail})"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Setup()
    {
        var seed = new Option<string?>("--seed-patch") { Description = "The posted SCM storage series message the seed driver is extracted from (default: $QTZ_SEED_PATCH or shared/testdata/linux/scm-storage-v2.patch.txt)" };
        var command = new Command("setup", "Download the guest's Debian packages (apt-get download, nothing installed) into ~/.cache/qtz/linux or $QTZ_LINUX_CACHE, build the EL3 monitor and the guest modules; idempotent");
        command.Options.Add(seed);
        command.SetAction(parse =>
        {
            var patch = parse.GetValue(seed);
            if (patch is not null && !File.Exists(patch)) throw new CliUsageException($"--seed-patch '{patch}' does not exist");
            var cache = LinuxCache.Default();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var setup = new LinuxSetup(cache, step => Console.Out.WriteLine($"setup: {step}"), patch);
            setup.Run();
            Console.Out.WriteLine(setup.Done.Count == 0
                ? $"linux setup: up to date in {cache.Root}"
                : $"linux setup: {setup.Done.Count} step(s) done in {started.Elapsed.TotalSeconds:0.0} s; guest ready in {cache.Root}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>
/// Ctrl-C and SIGTERM during a guest run: instead of dying (and leaving QEMU and the RAM file behind)
/// the process cancels the run, which kills QEMU and deletes its files, then exits 1.
/// </summary>
internal sealed class LinuxInterrupt : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _signals;

    public LinuxInterrupt()
    {
        _signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, Handle))];
    }

    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        foreach (var s in _signals) s.Dispose();
        _cancel.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _cancel.Cancel();
    }
}

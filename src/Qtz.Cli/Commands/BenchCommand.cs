using System.CommandLine;
using System.Globalization;
using Qtz.Cli.Infrastructure;
using Qtz.Platform.Benchmarking;

namespace Qtz.Cli.Commands;

/// <summary>
/// <c>qtz bench</c>: headline ratios measured side by side in one run against the tools a user would
/// pick instead (whole processes, this very qtz binary), plus in-process IOMMU rates.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Small inputs, one run each (seconds; for smoke tests)" };
        var size = new Option<string?>("--size") { Description = "Firmware and flash image size (default 64MiB; e.g. 1GiB)" };
        var repeat = new Option<int?>("--repeat") { Description = "Best of N runs per timing (default 3)" };
        var json = JsonOutput.CreateOption();
        var command = new Command("bench", "Measure qtz against sha384sum/sha256sum/openssl, dtc, cat and dd on generated inputs; print the ratios");
        foreach (var option in new Option[] { quick, size, repeat, json }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var options = parse.GetValue(quick) ? BenchOptions.Quick(QtzProcess()) : new BenchOptions { Qtz = QtzProcess() };
            if (parse.GetValue(size) is { } s) options = options with { SizeBytes = SizeParser.Parse(s, "--size") };
            if (parse.GetValue(repeat) is { } r)
                options = options with { Repeat = r > 0 ? r : throw new ArgumentException($"--repeat {r}: give at least 1") };
            var results = Terminal.WithProgress(Console.Out, "bench", progress => BenchSuite.Run(options with { Progress = progress }));
            if (parse.GetValue(json)) JsonOutput.Write(Console.Out, new { machine = BenchMachine.Current(), results = results.Select(View).ToArray() });
            else Print(results);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>This process's qtz: the apphost itself, or dotnet plus qtz.dll.</summary>
    private static (string, IReadOnlyList<string>) QtzProcess()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the running qtz has no process path");
        var dll = typeof(BenchCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? (host, [dll]) : (host, []);
    }

    private static object View(BenchResult r) => new
    {
        name = r.Name,
        inputs = r.Inputs,
        machine = r.Machine.ToString(),
        qtz = r.Qtz,
        peer = r.Peer,
        ratio = r.Ratio is { } x ? Math.Round(x, 3) : (double?)null,
        skipped = r.Skipped,
    };

    private static void Print(IReadOnlyList<BenchResult> results)
    {
        var machine = results.Count > 0 ? results[0].Machine : BenchMachine.Current();
        Console.Out.WriteLine($"machine: {machine}{(machine.UnderLoad ? " (measured under load)" : "")}");
        foreach (var r in results)
        {
            Console.Out.WriteLine($"{r.Name}: {r.Inputs}");
            if (r.Qtz is { } q) Console.Out.WriteLine($"  {Figure(q)}");
            if (r.Peer is { } p) Console.Out.WriteLine($"  {Figure(p)}");
            if (r.Ratio is { } ratio) Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio (qtz time / peer time): {ratio:0.00}"));
            if (r.Skipped is { } why) Console.Out.WriteLine($"  skipped: {why}");
        }
    }

    private static string Figure(BenchFigure f)
    {
        var rate = f.MiBPerSecond is { } mib ? $", {mib:0} MiB/s" : f.OperationsPerSecond is { } ops ? $", {ops:0} ops/s" : "";
        var exit = f.ExitCode != 0 ? $" (exit {f.ExitCode})" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{f.Tool}: {f.Seconds:0.000} s{rate}{exit}");
    }
}

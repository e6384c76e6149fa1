using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Bench;
using Qtz.Linux.Setup;
using Qtz.Linux.Suites;

namespace Qtz.Cli.Commands;

/// <summary>
/// <c>qtz bench</c>: headline ratios measured side by side in one run against the tools a user would
/// pick instead (whole processes, this very qtz binary), plus in-process IOMMU rates.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Small inputs, one timed run each (seconds; for smoke tests, the figures mean little)" };
        var size = new Option<string?>("--size") { Description = "Size of each generated firmware image and of the flash image (default 64MiB; the published targets use 1GiB)" };
        var runs = new Option<int?>("--runs", "--repeat") { Description = "Timed runs per command after the warm-up; figures are their median (default 5)" };
        var firmware = new Option<string?>("--firmware") { Description = "Boot comparison on this /lib/firmware-like directory (e.g. the real SA8775p set) instead of the default board's generated images" };
        var dtb = new Option<string?>("--dtb") { Description = $"Boot comparison: the board's DTB (default: the embedded {Qtz.Platform.Boards.DefaultBoard.DtbFileName})" };
        var markdown = new Option<bool>("--markdown") { Description = "Print the README's performance table (caption line and rows) instead of the listing" };
        var json = JsonOutput.CreateOption();
        var command = new Command("bench", "Measure qtz against openssl/sha384sum/sha256sum, qtz fw verify, dtc, cat and dd on generated inputs, and the IOMMU rates; print every figure and ratio");
        foreach (var option in new Option[] { quick, size, runs, firmware, dtb, markdown, json }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var options = parse.GetValue(quick) ? BenchOptions.Quick(QtzProcess()) : new BenchOptions { Qtz = QtzProcess() };
            if (parse.GetValue(size) is { } s) options = options with { SizeBytes = SizeParser.Parse(s, "--size") };
            if (parse.GetValue(runs) is { } n)
                options = options with { Runs = n > 0 ? n : throw new CliUsageException($"--runs {n}: give at least 1") };
            if (parse.GetValue(firmware) is { } f)
                options = options with { BootFirmwareDirectory = Directory.Exists(f) ? f : throw new CliUsageException($"--firmware {f}: no such directory") };
            if (parse.GetValue(dtb) is { } d)
                options = options with { BootDtb = File.Exists(d) ? d : throw new CliUsageException($"--dtb {d}: no such file") };
            if (!parse.GetValue(quick) && LinuxCache.Default() is { IsReady: true, HasSeedDriver: true } cache)
                options = options with { Guest = () => GuestFigures(cache) };
            var report = Terminal.WithProgress(Console.Out, "bench", progress => BenchSuite.Run(options with { Progress = progress }));
            if (parse.GetValue(json)) JsonOutput.Write(Console.Out, View(report));
            else if (parse.GetValue(markdown)) Console.Out.Write(BenchTable.Markdown(report, "qtz " + string.Join(' ', parse.Tokens.Select(t => t.Value))));
            else Console.Out.Write(BenchTable.Plain(report));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>qtz linux bench</c>'s figures (one guest boot plus the storage suite) as <c>qtz bench</c>'s rows take them.</summary>
    private static GuestFigures GuestFigures(LinuxCache cache)
    {
        using var interrupt = new LinuxInterrupt();
        var rows = LinuxBench.Run(new LinuxSuiteContext(cache, _ => { }, null, interrupt.Token));
        double Value(string prefix) => rows.FirstOrDefault(r => r.Name.StartsWith(prefix, StringComparison.Ordinal))?.Value
            ?? throw new InvalidOperationException($"qtz linux bench gave no '{prefix}' figure");
        var smc = rows.FirstOrDefault(r => r.Name.StartsWith("smc round trip", StringComparison.Ordinal));
        return new GuestFigures(
            Value("smc round trip") / 1e6,
            Value("boot to /init"),
            Value("qtz linux test storage"),
            Value("mtd write 256 KiB transfers, real"),
            Value("mtd write 256 KiB transfers, C#"),
            Value("mtd read 256 KiB transfers, real"),
            Value("mtd read 256 KiB transfers, C#"),
            smc?.Detail ?? "qtz linux bench");
    }

    /// <summary>This process's qtz: the native executable or apphost itself, or dotnet plus qtz.dll.</summary>
    private static (string, IReadOnlyList<string>) QtzProcess()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the running qtz has no process path");
        if (!Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return (host, []);
        var dll = Path.Combine(AppContext.BaseDirectory, "qtz.dll");
        return (host, [dll]);
    }

    private static BenchView View(BenchReport report) => new(
        report.Machine, report.LoadAtEnd, report.Method, report.WarmUp, report.Runs, report.SizeBytes, report.Peers,
        [.. report.Results.Select(r => new BenchResultView(
            r.Name, r.Inputs, r.Machine.ToString(), r.Qtz, r.Peer, r.Ratio is { } x ? Math.Round(x, 3) : null, r.Skipped,
            r.Target is { } t ? new BenchTargetView(JsonOutput.Name(t.Kind), t.Value, t.Source) : null, r.TargetMet))]);
}

internal sealed record BenchTargetView(string Kind, double Value, string Source);

internal sealed record BenchResultView(string Name, string Inputs, string Machine, BenchFigure? Qtz, BenchFigure? Peer, double? Ratio,
    string? Skipped, BenchTargetView? Target, bool? TargetMet);

internal sealed record BenchView(BenchMachine Machine, string LoadAtEnd, string Method, bool WarmUp, int Runs, long SizeBytes,
    IReadOnlyList<PeerVersion> Peers, IReadOnlyList<BenchResultView> Results);

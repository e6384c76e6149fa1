using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Platform.Boards;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz boot</c>: build the board from a DTB and firmware, boot every PAS remoteproc, print the table.</summary>
internal static class BootCommand
{
    internal static Command Create()
    {
        var dtb = new Option<string?>("--dtb") { Description = "Device tree blob (default: the embedded sa8775p-ride.dtb)" };
        var overlay = new Option<string[]>("--overlay") { Description = "Overlay .dtbo applied before anything else (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var firmware = new Option<string?>("--firmware") { Description = "A /lib/firmware-like directory (default: five test-signed images generated in memory)" };
        var mode = new Option<string>("--mode") { Description = "qhee: Linux at EL1 under QHEE; kvm: Linux at EL2 as the KVM host", DefaultValueFactory = _ => "qhee" };
        var design = new Option<string>("--el2-design") { Description = "KVM mode: rsctable (GET_RSCTABLE, merged 2026 design) or devmem (qcom,devmem, 2024 seed)", DefaultValueFactory = _ => "rsctable" };
        var noOverlay = new Option<bool>("--no-el2-overlay") { Description = "KVM mode: do not apply the shipped EL2 overlay when the tree has no iommus" };
        var trustRoot = new Option<string[]>("--trust-root") { Description = "Also trust this root: SHA-384 or SHA-256 of the root certificate, hex (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var trace = new Option<string?>("--trace") { Description = "Write the SMC and board event trace (ftrace-like text) to FILE" };
        var stats = new Option<bool>("--stats") { Description = "Print wall time and peak resident memory (VmHWM) on stderr" };
        var json = JsonOutput.CreateOption();
        var command = new Command("boot", "Boot every PAS remoteproc of a board through TrustZone (QHEE or KVM mode) and print their states. " + ExitCodes.HelpText);
        foreach (var o in new Option[] { dtb, overlay, firmware, mode, design, noOverlay, trustRoot, trace, stats, json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var options = new BoardOptions
            {
                Dtb = parse.GetValue(dtb) is { } d ? new NamedBlob(d, ReadFile(d, "--dtb")) : null,
                Overlays = (parse.GetValue(overlay) ?? []).Select(o => new NamedBlob(o, ReadFile(o, "--overlay"))).ToArray(),
                FirmwareDirectory = parse.GetValue(firmware),
                Mode = parse.GetValue(mode) switch
                {
                    "qhee" => KernelMode.Qhee,
                    "kvm" => KernelMode.Kvm,
                    var m => throw new CliUsageException($"--mode {m}: expected qhee or kvm"),
                },
                El2Design = parse.GetValue(design) switch
                {
                    "rsctable" => El2Design.RscTable,
                    "devmem" => El2Design.Devmem,
                    var m => throw new CliUsageException($"--el2-design {m}: expected rsctable or devmem"),
                },
                NoEl2Overlay = parse.GetValue(noOverlay),
                TrustRoots = (parse.GetValue(trustRoot) ?? []).Select(h => FwCommand.ParseHex(h, "--trust-root")).ToArray(),
            };
            var board = Board.Build(options);
            var report = board.Boot();
            if (parse.GetValue(trace) is { } path)
            {
                using var writer = new StreamWriter(path);
                board.Trace.WriteText(writer);
            }

            if (parse.GetValue(json))
                JsonOutput.Write(Console.Out, BootView.From(report));
            else
                BootView.Render(Console.Out, report);
            foreach (var r in report.Remoteprocs.Where(r => !r.Running))
                Console.Error.WriteLine($"qtz: boot: {r.Name} (PAS {r.PasId}) is {r.State}: {r.Failure}");
            if (parse.GetValue(stats))
                Console.Error.WriteLine($"qtz: stats: wall {started.Elapsed.TotalMilliseconds:F0} ms, peak RSS {PeakRssKiB() / 1024.0:F1} MiB");
            return report.AllRunning ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static byte[] ReadFile(string path, string option) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new CliUsageException($"{option} {path}: no such file");

    /// <summary>VmHWM from /proc/self/status (Linux); 0 elsewhere.</summary>
    private static long PeakRssKiB()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

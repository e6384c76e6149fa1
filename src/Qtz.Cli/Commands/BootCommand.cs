using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Platform.Boards;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz boot</c>: build the board from a DTB and firmware, boot every PAS remoteproc, print the table.</summary>
internal static class BootCommand
{
    internal static Command Create()
    {
        var board = new BoardCommandOptions();
        var trace = new Option<string?>("--trace") { Description = TraceFiles.OptionDescription };
        var stats = new Option<bool>("--stats") { Description = "Print wall time and peak resident memory (VmHWM) on stderr" };
        var json = JsonOutput.CreateOption();
        var command = new Command("boot", "Boot every PAS remoteproc of a board through TrustZone (QHEE or KVM mode) and print their states. " + ExitCodes.HelpText);
        foreach (var o in board.All.Concat([trace, stats, json]))
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var built = Board.Build(board.Read(parse));
            var report = built.Boot();
            if (parse.GetValue(trace) is { } path) TraceFiles.Write(path, built);

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

    /// <summary>VmHWM from /proc/self/status (Linux); 0 elsewhere.</summary>
    private static long PeakRssKiB()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

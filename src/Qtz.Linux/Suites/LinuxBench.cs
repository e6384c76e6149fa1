using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Qtz.Linux.Run;

namespace Qtz.Linux.Suites;

/// <summary>One figure of <c>qtz linux bench</c>, with its target when the project set one.</summary>
public sealed record LinuxBenchRow(string Name, double Value, string Unit, string? Target, bool? Met, string Detail);

/// <summary>
/// <c>qtz linux bench</c>: the real-kernel figures — SMC round trip from the guest kernel (median of
/// 2000 INFO calls through monitor, mailbox, doorbell and qtz's dispatcher; target ≤ 100 µs), boot to
/// the guest's /init (its uptime; ≤ 5 s), the whole storage suite (≤ 60 s), and MTD throughput with
/// 256 KiB transfers through the real posted driver (dd on /dev/mtd0, guest time) beside the same
/// transfers through qtz's C# driver model in process (wall time). Measured, never asserted by tests.
/// </summary>
public static partial class LinuxBench
{
    private const ulong FlashSize = 4 << 20;
    private const int ReadPasses = 4;

    public static IReadOnlyList<LinuxBenchRow> Run(LinuxSuiteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Cache.RequireSeedDriver();
        var rows = new List<LinuxBenchRow>();
        context.Progress("bench: booting for the SMC round trip and MTD throughput");
        var dir = Directory.CreateTempSubdirectory("qtz-linux-bench-").FullName;
        try
        {
            var script = $"""
                qtz-insmod qtz_smcbench iters=2000 && dmesg | grep 'qtz_smcbench:'
                for m in mtd mtd_blkdevs; do qtz-insmod $m; done
                qtz-insmod qtz_scm_storage_glue && qtz-insmod qcom_scm_storage || exit 3
                dd if=/dev/urandom of=/tmp/data bs=256k count={FlashSize >> 18} 2>/dev/null
                t0=$(cut -d' ' -f1 /proc/uptime); dd if=/tmp/data of=/dev/mtd0 bs=256k 2>/dev/null || exit 4; t1=$(cut -d' ' -f1 /proc/uptime)
                echo "qtz-bench: write {FlashSize} $t0 $t1"
                t0=$(cut -d' ' -f1 /proc/uptime); for i in $(seq {ReadPasses}); do dd if=/dev/mtd0 of=/dev/null bs=256k 2>/dev/null || exit 5; done; t1=$(cut -d' ' -f1 /proc/uptime)
                echo "qtz-bench: read {FlashSize * ReadPasses} $t0 $t1"
                """;
            var result = GuestRun.Run(new GuestRunOptions
            {
                Script = script,
                Flash = FlashImage.Create(Path.Combine(dir, "nor.img"), FlashSize),
                FlashOptions = new TzStorageOptions { AllowWrite = true, WriteSemantics = TzWriteSemantics.EraseProgram },
                Console = context.Console,
                Timeout = TimeSpan.FromMinutes(3),
            }, context.Cache, context.Cancel);
            if (!result.Succeeded)
                throw new InvalidOperationException($"the bench guest did not finish: {result.Outcome} {result.ScriptStatus}: {string.Join(" | ", result.LastLines(3))}");
            var smc = result.Console.Select(l => SmcLine().Match(l)).FirstOrDefault(m => m.Success);
            if (smc is not null)
            {
                var medianUs = double.Parse(smc.Groups[1].ValueSpan, CultureInfo.InvariantCulture) / 1000;
                rows.Add(new LinuxBenchRow("smc round trip from the guest (median)", medianUs, "µs", "≤ 100 µs", medianUs <= 100,
                    $"mean {double.Parse(smc.Groups[2].ValueSpan, CultureInfo.InvariantCulture) / 1000:0.0} µs over 2000 INFO.IS_CALL_AVAIL"));
            }

            if (result.BootToInit is { } boot)
                rows.Add(new LinuxBenchRow("boot to /init (guest uptime)", boot.TotalSeconds, "s", "≤ 5 s", boot.TotalSeconds <= 5, $"wall {result.Wall.TotalSeconds:0.0} s for the whole run"));
            var model = ModelThroughput();
            foreach (var (op, bytes, seconds) in Throughput(result.Console))
            {
                var real = bytes / seconds / (1 << 20);
                var c = op == "read" ? model.Read : model.Write;
                rows.Add(new LinuxBenchRow($"mtd {op} 256 KiB transfers, real posted driver", real, "MiB/s", null, null, "dd on /dev/mtd0 in the guest, erase-program TZ"));
                rows.Add(new LinuxBenchRow($"mtd {op} 256 KiB transfers, C# driver model", c, "MiB/s", null, null, $"in process, same sizes; real/model = {real / c:0.00}"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        context.Progress("bench: the whole storage suite");
        var suite = new StorageSuite().Run(context);
        rows.Add(new LinuxBenchRow("qtz linux test storage (whole)", suite.Wall.TotalSeconds, "s", "≤ 60 s", suite.Wall.TotalSeconds <= 60,
            $"{suite.Boots.Count} boots, {(suite.Passed ? "passed" : "FAILED")}"));
        return rows;
    }

    private static IEnumerable<(string Op, double Bytes, double Seconds)> Throughput(IEnumerable<string> console)
    {
        foreach (var m in console.Select(l => BenchLine().Match(l)).Where(m => m.Success))
        {
            var seconds = double.Parse(m.Groups[4].ValueSpan, CultureInfo.InvariantCulture) - double.Parse(m.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
            if (seconds > 0) yield return (m.Groups[1].Value, double.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture), seconds);
        }
    }

    /// <summary>The same transfers through the C# corrected driver on an in-memory board: MiB/s of wall time.</summary>
    private static (double Read, double Write) ModelThroughput()
    {
        using var board = StorageBoard.InMemory(NorPartTable.ForSize(FlashSize), new StorageBoardOptions { AllowWrite = true, WriteSemantics = TzWriteSemantics.EraseProgram });
        var mtd = board.FindDevice("mtd0")!;
        var chunk = new byte[256 << 10];
        new Random(1).NextBytes(chunk);
        var watch = Stopwatch.StartNew();
        for (ulong at = 0; at < FlashSize; at += (ulong)chunk.Length) MtdCore.Write(mtd, (long)at, chunk, out _);
        var write = FlashSize / watch.Elapsed.TotalSeconds / (1 << 20);
        watch.Restart();
        for (var pass = 0; pass < ReadPasses; pass++)
            for (ulong at = 0; at < FlashSize; at += (ulong)chunk.Length) MtdCore.Read(mtd, (long)at, chunk, out _);
        var read = FlashSize * ReadPasses / watch.Elapsed.TotalSeconds / (1 << 20);
        return (read, write);
    }

    [GeneratedRegex(@"qtz_smcbench: \d+ SMCs median (\d+) ns mean (\d+) ns")]
    private static partial Regex SmcLine();

    [GeneratedRegex(@"^qtz-bench: (read|write) (\d+) ([0-9.]+) ([0-9.]+)")]
    private static partial Regex BenchLine();
}

using System.Globalization;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;
using Qtz.Platform.Boards;

namespace Qtz.Bench;

/// <summary>
/// qtz run once per file, the way scripts run dtc, pil-squasher and openssl: one small real input per
/// process, so start-up is most of the time. Real inputs: the embedded sa8775p-ride.dtb, and from
/// <c>--firmware DIR</c> the largest v7 image and the image nearest 5 MiB (split here, then squashed).
/// Both sides run straight from their argv, without a shell, as a script's loop runs them.
/// </summary>
internal static class PerCallComparisons
{
    public static IEnumerable<BenchResult> Results(BenchRun run)
    {
        yield return Version(run);
        yield return DtDumpOne(run);
        yield return Squash(run);
        yield return VerifyV7(run);
    }

    private static BenchResult Version(BenchRun run)
    {
        var dtc = ProcessTimer.IsInstalled("dtc");
        var commands = new List<TimedCommand> { TimedCommand.Direct("qtz --version", run.QtzArgv("--version")) };
        if (dtc) commands.Add(TimedCommand.Direct("dtc --version", ["dtc", "--version"]));
        var figures = run.Measure(commands, 0);
        return new BenchResult("qtz --version", "start-up alone (dtc --version beside it for scale)", run.Machine, figures[0], dtc ? figures[1] : null,
            null, new BenchTarget(BenchTargetKind.SecondsAtMost, 0.010, "≤ 10 ms a call"));
    }

    private static BenchResult DtDumpOne(BenchRun run)
    {
        var dtb = Path.Combine(run.Directory, BoardDeviceTree.EmbeddedDtbName);
        File.WriteAllBytes(dtb, BoardDeviceTree.EmbeddedDtb());
        var inputs = $"one real DTB ({BoardDeviceTree.EmbeddedDtbName}, {BenchSuite.Size(new FileInfo(dtb).Length)})";
        var commands = new List<TimedCommand> { TimedCommand.Direct("qtz dt dump", run.QtzArgv("dt", "dump", dtb)) };
        var dtc = ProcessTimer.IsInstalled("dtc");
        if (dtc) commands.Add(TimedCommand.Direct("dtc -I dtb -O dts", ["dtc", "-q", "-I", "dtb", "-O", "dts", dtb]));
        var figures = run.Measure(commands, 0);
        return run.Row("dt dump one DTB vs dtc", inputs, figures[0], dtc ? figures[1] : null, "dtc",
            new BenchTarget(BenchTargetKind.TimeRatioAtMost, 1.5, "≤ 1.5× dtc a call"));
    }

    private static BenchResult Squash(BenchRun run)
    {
        const string name = "fw squash one split image vs pil-squasher";
        var target = new BenchTarget(BenchTargetKind.TimeRatioAtMost, 1.5, "≤ 1.5× pil-squasher a call");
        var source = RealImages(run).OrderBy(i => Math.Abs(i.Length - (5L << 20))).FirstOrDefault();
        if (source is null) return Skipped(run, name, target, "needs --firmware DIR with real .mbn images");
        var split = Directory.CreateDirectory(Path.Combine(run.Directory, "split")).FullName;
        ProcessTimer.Once(run.Qtz("fw", "split", source.FullName, "-o", split), run.Directory);
        var mdt = Path.Combine(split, Path.ChangeExtension(source.Name, ".mdt"));
        var inputs = $"{source.Name} ({BenchSuite.Size(source.Length)}) split into .mdt + .bNN";
        if (!File.Exists(mdt)) return Skipped(run, name, target, $"qtz fw split of {source.Name} failed", inputs);
        var output = Path.Combine(run.Directory, "squashed.mbn");
        var commands = new List<TimedCommand> { TimedCommand.Direct("qtz fw squash", run.QtzArgv("fw", "squash", mdt, "-o", output)) };
        var peer = ProcessTimer.IsInstalled("pil-squasher");
        if (peer) commands.Add(TimedCommand.Direct("pil-squasher", ["pil-squasher", output + ".peer", mdt]));
        var figures = run.Measure(commands, source.Length);
        return run.Row(name, inputs, figures[0], peer ? figures[1] : null, "pil-squasher (github.com/andersson/pil-squasher)", target);
    }

    private static BenchResult VerifyV7(BenchRun run)
    {
        const string name = "fw verify one real v7 image vs openssl dgst -sha384";
        var target = new BenchTarget(BenchTargetKind.TimeRatioAtMost, 1.0, "≤ 1.0× openssl a call");
        var image = RealImages(run).Where(IsV7).OrderByDescending(i => i.Length).FirstOrDefault();
        if (image is null) return Skipped(run, name, target, "needs --firmware DIR with a real v7 .mbn image");
        var inputs = $"{image.Name} ({BenchSuite.Size(image.Length)}, hash segment v7)";
        var commands = new List<TimedCommand> { TimedCommand.Direct("qtz fw verify", run.QtzArgv("fw", "verify", image.FullName)) };
        var openssl = ProcessTimer.IsInstalled("openssl");
        if (openssl) commands.Add(TimedCommand.Direct("openssl dgst -sha384", ["openssl", "dgst", "-sha384", image.FullName]));
        var figures = run.Measure(commands, image.Length);
        return run.Row(name, inputs, figures[0], openssl ? figures[1] : null, "openssl", target);
    }

    private static BenchResult Skipped(BenchRun run, string name, BenchTarget target, string why, string inputs = "–") =>
        new(name, inputs, run.Machine, null, null, why, target);

    private static IEnumerable<FileInfo> RealImages(BenchRun run) =>
        run.Options.BootFirmwareDirectory is { } dir && Directory.Exists(dir)
            ? new DirectoryInfo(dir).EnumerateFiles("*.mbn", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal)
            : [];

    private static bool IsV7(FileInfo file)
    {
        try
        {
            using var image = FirmwareImage.Open(file.FullName);
            return FirmwareInspector.Describe(image).HashSegment?.Version == 7;
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            return false;
        }
    }
}

using System.Globalization;

namespace Qtz.Bench;

/// <summary><c>qtz dt dump</c> against a dtc loop, and <c>qtz mtd read/write</c> against cat and dd.</summary>
internal static class ToolComparisons
{
    public static BenchResult DtDump(BenchRun run)
    {
        var dtbDir = Directory.CreateDirectory(Path.Combine(run.Directory, "dtb")).FullName;
        var dtbs = BenchInputs.DeviceTrees(dtbDir, run.Options.DtbCount);
        var bytes = dtbs.Sum(p => new FileInfo(p).Length);
        var inputs = $"{dtbs.Count} generated blobs, {BenchSuite.Size(bytes)} in all";
        var commands = new List<TimedCommand> { new("qtz dt dump", run.Qtz(["dt", "dump", .. dtbs])) };
        var dtc = ProcessTimer.IsInstalled("dtc");
        if (dtc)
            commands.Add(new("dtc (shell loop)", "for f in " + string.Join(' ', dtbs.Select(ProcessTimer.Quote)) + "; do dtc -q -I dtb -O dts \"$f\" || exit 1; done"));
        var figures = run.Measure(commands, bytes);
        return run.Row("dt dump vs dtc", inputs, figures[0], dtc ? figures[1] : null, "dtc", new BenchTarget(BenchTargetKind.TimeRatioAtMost, 1.0, "no slower than dtc"));
    }

    public static IEnumerable<BenchResult> MtdRead(BenchRun run)
    {
        var (size, image, _) = Flash(run);
        var output = Path.Combine(run.Directory, "read.bin");
        var commands = new List<TimedCommand>
        {
            new("qtz mtd read", run.Qtz("mtd", "read", "--image", image, "--offset", "0", "--length", size.ToString(CultureInfo.InvariantCulture), "-o", output)),
        };
        var cat = ProcessTimer.IsInstalled("cat");
        if (cat) commands.Add(new("cat", $"cat {ProcessTimer.Quote(image)} > {ProcessTimer.Quote(output)}"));
        var figures = run.Measure(commands, (long)size);
        yield return run.Row("mtd read vs cat", $"{BenchSuite.Size((long)size)} flash image, whole device, to a file", figures[0], cat ? figures[1] : null, "cat", BenchTarget.SpeedAtLeast(0.3, "≥ 0.3× cat's speed"));
    }

    public static IEnumerable<BenchResult> MtdWrite(BenchRun run)
    {
        var (size, image, data) = Flash(run);
        var copy = Path.Combine(run.Directory, "dd.img");
        File.Copy(image, copy, overwrite: true);
        var commands = new List<TimedCommand> { new("qtz mtd write", run.Qtz("mtd", "write", "--image", image, "--allow-write", "--offset", "0", data)) };
        var dd = ProcessTimer.IsInstalled("dd");
        if (dd) commands.Add(new("dd", $"dd if={ProcessTimer.Quote(data)} of={ProcessTimer.Quote(copy)} bs=1M conv=notrunc status=none"));
        var figures = run.Measure(commands, (long)size);
        yield return run.Row("mtd write vs dd conv=notrunc", $"{BenchSuite.Size((long)size)} of random data over a whole flash image (the same data on every run)", figures[0], dd ? figures[1] : null, "dd", BenchTarget.SpeedAtLeast(0.3, "≥ 0.3× dd's speed"));
    }

    /// <summary>The flash image (created once per run, erased) and the data to write; size is the option's, rounded up to a power of two.</summary>
    private static (ulong Size, string Image, string Data) Flash(BenchRun run)
    {
        var size = System.Numerics.BitOperations.RoundUpToPowerOf2(Math.Max(run.Options.SizeBytes, 1UL << 20));
        var image = Path.Combine(run.Directory, "flash.img");
        var data = Path.Combine(run.Directory, "data.bin");
        if (!File.Exists(image) || new FileInfo(image).Length != (long)size)
            BenchInputs.Flash(run.Directory, size);
        return (size, image, data);
    }
}

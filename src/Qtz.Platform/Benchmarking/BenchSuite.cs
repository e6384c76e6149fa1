using System.Globalization;

namespace Qtz.Platform.Benchmarking;

/// <summary>
/// The headline comparisons of <c>qtz bench</c>, each measured side by side in one run: the real qtz
/// process against the tool a user would reach for instead (skipped, with the reason, when that tool
/// is not installed), plus in-process IOMMU rates. Inputs are generated into a temp directory that is
/// removed afterwards.
/// </summary>
public static class BenchSuite
{
    public const string BootVsVerify = "boot vs verify";

    public static IReadOnlyList<BenchResult> Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var machine = BenchMachine.Current();
        var dir = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "qtz-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var results = new List<BenchResult>();
        var steps = 6.0;
        void Step(int done) => options.Progress?.Invoke(done / steps);
        try
        {
            Step(0);
            results.AddRange(FirmwareVerify(options, machine, dir));
            Step(2);
            results.Add(DtDump(options, machine, dir));
            Step(3);
            results.AddRange(Mtd(options, machine, dir));
            Step(5);
            results.AddRange(Iommu(options, machine));
            results.Add(new BenchResult(BootVsVerify, "the five SA8775p DSP images", machine, null, null,
                "not wired yet: the board (issue 6) was merged into this branch at the deadline; next step is qtz boot vs qtz fw verify of the same five images"));
            Step(6);
            return results;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IEnumerable<BenchResult> FirmwareVerify(BenchOptions options, BenchMachine machine, string dir)
    {
        var (image, root) = BenchInputs.SignedImage(dir, options.SizeBytes);
        var bytes = new FileInfo(image).Length;
        var inputs = $"{Size(bytes)} signed image (hash segment v6, ECDSA P-384, 4 segments)";
        var qtz = Time(options, "fw verify", Qtz(options, "fw", "verify", image, "--root-hash", Convert.ToHexStringLower(root)) + " > /dev/null", bytes);
        (string Tool, string Command)[] peers =
        [
            ("sha384sum", $"sha384sum {ProcessTimer.Quote(image)} > /dev/null"),
            ("sha256sum", $"sha256sum {ProcessTimer.Quote(image)} > /dev/null"),
            ("openssl", $"openssl dgst -sha384 {ProcessTimer.Quote(image)} > /dev/null"),
        ];
        foreach (var (tool, command) in peers)
        {
            var name = $"fw verify vs {(tool == "openssl" ? "openssl dgst -sha384" : tool)}";
            yield return ProcessTimer.IsInstalled(tool)
                ? new BenchResult(name, inputs, machine, qtz, Time(options, tool, command, bytes))
                : new BenchResult(name, inputs, machine, qtz, null, $"{tool} is not installed");
        }
    }

    private static BenchResult DtDump(BenchOptions options, BenchMachine machine, string dir)
    {
        var dtbDir = Directory.CreateDirectory(Path.Combine(dir, "dtb")).FullName;
        var dtbs = BenchInputs.DeviceTrees(dtbDir, options.DtbCount);
        var bytes = dtbs.Sum(p => new FileInfo(p).Length);
        var inputs = $"{dtbs.Count} generated blobs, {Size(bytes)} in all";
        var qtz = Time(options, "qtz dt dump", Qtz(options, ["dt", "dump", .. dtbs]) + " > /dev/null", bytes);
        if (!ProcessTimer.IsInstalled("dtc")) return new BenchResult("dt dump vs dtc", inputs, machine, qtz, null, "dtc is not installed");
        var loop = "for f in " + string.Join(' ', dtbs.Select(ProcessTimer.Quote)) + "; do dtc -q -I dtb -O dts \"$f\"; done > /dev/null";
        return new BenchResult("dt dump vs dtc", inputs, machine, qtz, Time(options, "dtc (loop)", loop, bytes));
    }

    private static IEnumerable<BenchResult> Mtd(BenchOptions options, BenchMachine machine, string dir)
    {
        var size = RoundUpToPowerOfTwo(Math.Max(options.SizeBytes, 1UL << 20));
        var (image, data) = BenchInputs.Flash(dir, size);
        var output = Path.Combine(dir, "read.bin");
        var inputs = $"{Size((long)size)} flash image (whole device)";
        var read = Time(options, "qtz mtd read", Qtz(options, "mtd", "read", "--image", image, "--offset", "0", "--length", size.ToString(CultureInfo.InvariantCulture), "-o", output), (long)size);
        yield return ProcessTimer.IsInstalled("cat")
            ? new BenchResult("mtd read vs cat", inputs, machine, read, Time(options, "cat", $"cat {ProcessTimer.Quote(image)} > {ProcessTimer.Quote(output)}", (long)size))
            : new BenchResult("mtd read vs cat", inputs, machine, read, null, "cat is not installed");

        var write = Time(options, "qtz mtd write", Qtz(options, "mtd", "write", "--image", image, "--allow-write", "--offset", "0", data), (long)size);
        var copy = Path.Combine(dir, "dd.img");
        File.Copy(image, copy);
        yield return ProcessTimer.IsInstalled("dd")
            ? new BenchResult("mtd write vs dd conv=notrunc", inputs, machine, write,
                Time(options, "dd", $"dd if={ProcessTimer.Quote(data)} of={ProcessTimer.Quote(copy)} bs=1M conv=notrunc status=none", (long)size))
            : new BenchResult("mtd write vs dd conv=notrunc", inputs, machine, write, null, "dd is not installed");
    }

    private static IEnumerable<BenchResult> Iommu(BenchOptions options, BenchMachine machine)
    {
        var (map, translate, translations) = IommuRates.Measure(options.IommuPages);
        var inputs = $"{options.IommuPages} x 4 KiB pages, one map call each; SMMU translations of them";
        yield return new BenchResult("iommu map rate", inputs, machine,
            new BenchFigure("qtz (in-process)", "IommuDomain.Map", map, OperationsPerSecond: options.IommuPages / map), null);
        yield return new BenchResult("iommu translate rate", inputs, machine,
            new BenchFigure("qtz (in-process)", "Smmu.Translate", translate, OperationsPerSecond: translations / translate), null);
    }

    private static BenchFigure Time(BenchOptions options, string tool, string command, long bytes)
    {
        var (seconds, exit) = ProcessTimer.Best(command, options.Repeat);
        return new BenchFigure(tool, command, seconds, MiBPerSecond: bytes / (1024.0 * 1024.0) / seconds, ExitCode: exit);
    }

    private static string Qtz(BenchOptions options, params string[] arguments) =>
        string.Join(' ', new[] { options.Qtz.FileName }.Concat(options.Qtz.Prefix).Concat(arguments).Select(ProcessTimer.Quote));

    private static ulong RoundUpToPowerOfTwo(ulong value) => System.Numerics.BitOperations.IsPow2(value) ? value : 1UL << (64 - System.Numerics.BitOperations.LeadingZeroCount(value));

    internal static string Size(long bytes) => bytes >= 1 << 20
        ? (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB"
        : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB";
}

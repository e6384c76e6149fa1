using Qtz.Platform.Socs;
using System.Globalization;
using Qtz.Platform.FirmwareLoader;

namespace Qtz.Bench;

/// <summary>
/// The hashing race (<c>qtz fw verify</c> of a big generated image against <c>openssl dgst</c>
/// and coreutils of the matching hash, one and two hashing threads) and boot-vs-verify
/// comparison on the same five images, with the boot's peak resident memory.
/// </summary>
internal static class FirmwareComparisons
{
    public static IEnumerable<BenchResult> Verify(BenchRun run, int version)
    {
        var hash = version >= 6 ? "sha384" : "sha256";
        var (image, root) = BenchInputs.SignedImage(Path.Combine(run.Directory, $"v{version}.mbn"), run.Options.SizeBytes, version, run.Options.FirmwareSegments);
        var bytes = new FileInfo(image).Length;
        var inputs = $"{BenchSuite.Size(bytes)} v{version} image ({(version >= 6 ? "SHA-384" : "SHA-256")}, {(version >= 6 ? "ECDSA P-384" : "RSA-2048")}, {run.Options.FirmwareSegments} segments)";
        var openssl = $"openssl dgst -{hash}";
        var coreutils = hash + "sum";
        var commands = new List<TimedCommand>
        {
            new("qtz fw verify --threads 1", run.Qtz("fw", "verify", image, "--root-hash", Convert.ToHexStringLower(root), "--threads", "1")),
            new("qtz fw verify --threads 2", run.Qtz("fw", "verify", image, "--root-hash", Convert.ToHexStringLower(root), "--threads", "2")),
        };
        if (ProcessTimer.IsInstalled("openssl")) commands.Add(new(openssl, $"{openssl} {ProcessTimer.Quote(image)}"));
        if (ProcessTimer.IsInstalled(coreutils)) commands.Add(new(coreutils, $"{coreutils} {ProcessTimer.Quote(image)}"));
        var figures = run.Measure(commands, bytes);
        File.Delete(image);
        BenchFigure? Peer(string tool) => figures.FirstOrDefault(f => f.Tool == tool);
        foreach (var threads in new[] { 1, 2 })
        {
            var qtz = figures[threads - 1];
            var flag = threads == 2 ? " --threads 2" : "";
            yield return run.Row($"fw verify v{version}{flag} vs {openssl}", inputs, qtz, Peer(openssl), "openssl",
                BenchTarget.SpeedAtLeast(threads == 1 ? 0.9 : 1.6, threads == 1 ? "≥ 0.9× openssl's speed" : "≥ 1.6× openssl's speed on two cores"));
            yield return run.Row($"fw verify v{version}{flag} vs {coreutils}", inputs, qtz, Peer(coreutils), coreutils);
        }
    }

    /// <summary>
    /// <c>qtz boot --firmware DIR</c> against <c>qtz fw verify</c> of the same five files, one process per
    /// file as a user would run it (verify takes one FILE); plus plain <c>qtz boot</c>, which generates
    /// and signs its five images in memory first, against verifying those images exported to files.
    /// </summary>
    public static IEnumerable<BenchResult> BootVsVerify(BenchRun run)
    {
        var exported = Path.Combine(run.Directory, "firmware");
        var defaults = BenchInputs.DefaultBoardImages(exported);
        var given = run.Options.BootFirmwareDirectory;
        var set = given is null ? defaults : BenchInputs.BoardImages(given, run.Options.BootDtb);
        var bootArgs = new List<string> { "boot", "--firmware", given ?? exported };
        if (run.Options.BootDtb is { } dtb) bootArgs.AddRange(["--dtb", dtb]);
        var setBytes = set.Sum(i => new FileInfo(i.Path).Length);
        var setInputs = given is null
            ? $"the default board's five generated images ({BenchSuite.Size(setBytes)}), exported to files"
            : $"the five images in {given} ({BenchSuite.Size(setBytes)}){(run.Options.BootDtb is { } d ? ", " + Path.GetFileName(d) : "")}";
        var commands = new List<TimedCommand>
        {
            new("qtz boot --firmware", run.Qtz([.. bootArgs])),
            new("qtz fw verify x5", VerifyEach(run, set)),
            new("qtz boot", run.Qtz("boot")),
        };
        if (given is not null) commands.Add(new("qtz fw verify x5 (default images)", VerifyEach(run, defaults)));
        var figures = run.Measure(commands, 0);
        var boot = figures[0];
        var target = new BenchTarget(BenchTargetKind.TimeRatioAtMost, 1.5, "boot ≤ 1.5× verifying its images");
        yield return new BenchResult("boot vs verify", setInputs, run.Machine, boot, figures[1], null, target);
        yield return new BenchResult("boot peak RSS", setInputs, run.Machine, boot, null, null, new BenchTarget(BenchTargetKind.PeakRssAtMost, 300, "≤ 300 MiB"));
        yield return new BenchResult("boot (no args) vs verify", $"the default board; verify of its five images ({BenchSuite.Size(defaults.Sum(i => new FileInfo(i.Path).Length))}) exported to files",
            run.Machine, figures[2], figures[given is null ? 1 : 3]);
        // The wall time a user sees: qtz run by itself, not under the shell and /usr/bin/time the RSS needs.
        var alone = run.Measure([TimedCommand.Direct("qtz boot", run.QtzArgv("boot"))], 0)[0];
        yield return new BenchResult("boot (no args) wall time", "the default board: five images generated and test-signed in memory, then booted",
            run.Machine, alone, null, null, new BenchTarget(BenchTargetKind.SecondsAtMost, 0.100, "≤ 100 ms a call"));
    }

    /// <summary>
    /// <c>qtz fw verify FILE --pas-id N --root-hash …</c> per image, chained with &amp;&amp; so a failure
    /// shows as the exit code: the same checks TrustZone makes at boot (roots the fuses trust, SW_ID).
    /// </summary>
    private static string VerifyEach(BenchRun run, IEnumerable<BenchBoardImage> images)
    {
        string[] roots = [Convert.ToHexStringLower(DefaultFirmware.TestRootSha384()), .. FusedRoots.PublicTestRoots.Select(r => r.RootSha384)];
        return string.Join(" && ", images.Select(i => run.Qtz(
            ["fw", "verify", i.Path, "--pas-id", i.PasId.ToString(CultureInfo.InvariantCulture), .. roots.SelectMany(h => new[] { "--root-hash", h })])));
    }
}

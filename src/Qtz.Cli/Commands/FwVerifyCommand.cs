using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;

namespace Qtz.Cli.Commands;

/// <summary>
/// <c>qtz fw verify FILE...</c>: exit 0 only when every image is signed and every hash, chain, signature
/// and policy check passes. A hash-only or unsigned image is a result (exit 1 saying so), not bad input.
/// With several files, like sha256sum -c: one line per file, then a summary; the exit code is the worst.
/// </summary>
internal static class FwVerifyCommand
{
    private const long ProgressThreshold = 256L << 20;

    internal static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Images: .mbn, or .mdt with its .bNN beside it (several allowed)", Arity = ArgumentArity.OneOrMore };
        var rootHash = new Option<string[]>("--root-hash") { Description = "Accepted root: SHA-384 or SHA-256 of the root certificate DER, hex (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var pasId = new Option<string?>("--pas-id") { Description = "Require the SW_ID TrustZone expects for this PAS id (e.g. 18 for CDSP)" };
        var minRollback = new Option<string?>("--min-rollback") { Description = "Require an anti-rollback version of at least N" };
        var threads = new Option<string?>("--threads") { Description = "Hash segments on N threads (default: one per core; 1 hashes them in order on one)" };
        var mmap = new Option<bool>("--mmap") { Description = "Read segments through a read-only mapping instead of pread (slower where page faults are dear, as in VMs; a file truncated meanwhile by another process is refused, or kills qtz with SIGBUS)" };
        var json = JsonOutput.CreateOption();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only failed checks and the verdict, no progress" };
        var command = new Command("verify", "Verify images: segment hashes, certificate chain, signature, root, SW_ID, anti-rollback. "
            + "Hash-only and unsigned images exit 1 saying so. " + ExitCodes.HelpText);
        command.Arguments.Add(files);
        command.Options.Add(rootHash);
        command.Options.Add(pasId);
        command.Options.Add(minRollback);
        command.Options.Add(threads);
        command.Options.Add(mmap);
        command.Options.Add(json);
        command.Options.Add(quiet);
        command.SetAction(parse =>
        {
            var options = new VerifyOptions
            {
                PinnedRootHashes = (parse.GetValue(rootHash) ?? []).Select(h => FwCommand.ParseHex(h, "--root-hash")).ToList(),
                PasId = parse.GetValue(pasId) is { } p ? FwCommand.ParseUInt32(p, "--pas-id") : null,
                MinimumRollbackVersion = parse.GetValue(minRollback) is { } r ? FwCommand.ParseUInt32(r, "--min-rollback") : null,
                Threads = parse.GetValue(threads) is { } t ? (int)Math.Clamp(FwCommand.ParseNumber(t, "--threads"), 1, 64) : Environment.ProcessorCount,
                // one import per distinct key: a chain's root signs itself and the CA, and images share their CAs
                SignatureCache = new SignatureCheckCache(),
            };
            if (options.PasId is { } id && !PasSoftwareIds.TryGet(id, out _, out _))
                throw new CliUsageException($"--pas-id {id}: no known SW_ID for it; known PAS ids: {string.Join(", ", PasSoftwareIds.KnownPasIds.Order())}");
            var paths = parse.GetValue(files)!;
            var memoryMap = parse.GetValue(mmap);
            var quietly = parse.GetValue(quiet);
            return paths.Length == 1
                ? VerifyOne(paths[0], options, memoryMap, parse.GetValue(json), quietly)
                : VerifyMany(paths, options, memoryMap, parse.GetValue(json));
        });
        return command;
    }

    private static int VerifyOne(string path, VerifyOptions options, bool memoryMap, bool json, bool quiet)
    {
        using var image = FirmwareImage.Open(path, memoryMap);
        var report = image.Main.Length + image.ProgramHeaders.Sum(ph => (long)Math.Min(ph.FileSize, (ulong)long.MaxValue / 64)) > ProgressThreshold
            ? Terminal.WithProgress(Console.Out, "verify: hashing", progress => FirmwareVerifier.Verify(image, options with { Progress = progress }), image.Main.Length, show: !quiet)
            : FirmwareVerifier.Verify(image, options);
        using (var stdout = StandardOutput.Open())
        {
            if (json)
                JsonOutput.Write(stdout, View(image.Name, report));
            else
                Render(stdout, report, quiet);
        }

        if (report.Passed)
            return ExitCodes.Ok;
        Console.Error.WriteLine(report.FirstFailure is { } first
            ? $"qtz: verify failed: {first.Subject}: {first.Kind}: {first.Detail}" + (report.Failures.Count() > 1 ? $" (and {report.Failures.Count() - 1} more failed checks)" : "")
            : $"qtz: verify: {image.Name}: {report.Summary}");
        return ExitCodes.CheckFailed;
    }

    private static int VerifyMany(IReadOnlyList<string> paths, VerifyOptions options, bool memoryMap, bool json)
    {
        var results = new List<VerifyFileView>();
        foreach (var path in paths)
        {
            VerifyFileView result;
            try
            {
                using var image = FirmwareImage.Open(path, memoryMap);
                var report = FirmwareVerifier.Verify(image, options);
                result = new VerifyFileView(path, report.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed, report.Summary, View(path, report), null);
            }
            catch (Exception e)
            {
                var code = CliErrors.Classify(e);
                var message = CliErrors.OneLine(e.Message);
                result = new VerifyFileView(path, code, code == ExitCodes.InternalError ? "internal error: " + message : "refused: " + message, null, message);
            }

            results.Add(result);
            if (!json)
                Console.Out.WriteLine($"{path}: {result.Result}");
        }

        var summary = new VerifySummaryView(results.Count,
            results.Count(r => r.ExitCode == ExitCodes.Ok),
            results.Count(r => r.Report?.Signing == FwViews.Signing(ImageSigning.HashOnly) && r.Report.Checks.All(c => c.Status != nameof(CheckStatus.Failed))),
            results.Count(r => r.Report?.Signing == FwViews.Signing(ImageSigning.NoHashSegment)),
            results.Count(r => r.ExitCode == ExitCodes.CheckFailed && r.Report?.Checks.Any(c => c.Status == nameof(CheckStatus.Failed)) == true),
            results.Count(r => r.ExitCode == ExitCodes.BadInput),
            results.Count(r => r.ExitCode == ExitCodes.InternalError));
        if (json)
            JsonOutput.Write(Console.Out, new VerifyManyView(results, summary));
        else
            Console.Out.WriteLine($"{summary.Files} files: {summary.Verified} verified, {summary.HashOnly} hash-only, {summary.NoHashSegment} without hash segment, "
                + $"{summary.Failed} failed, {summary.Refused} refused{(summary.InternalErrors > 0 ? $", {summary.InternalErrors} internal errors" : "")}");
        var worst = results.Max(r => r.ExitCode);
        if (worst != ExitCodes.Ok)
            Console.Error.WriteLine($"qtz: verify: {results.Count(r => r.ExitCode != ExitCodes.Ok)} of {results.Count} files did not verify");
        return worst;
    }

    private static VerifyView View(string file, VerificationReport r) => new(file, r.Passed, FwViews.Signing(r.Signing), r.Summary,
        r.HashSegment?.Version, r.HashSegment?.TableAlgorithm.Name, r.HasSoftwareId ? $"0x{r.SoftwareId:X}" : null,
        r.HasSoftwareId ? SoftwareIds.NameOf(r.SoftwareId) : null, r.HashSegment is null ? null : r.AntiRollbackVersion,
        r.Signers.Select(FwViews.Signer).ToList(), r.Checks.Select(FwViews.Check).ToList(), r.LayoutWarnings.Select(w => w.Message).ToList());

    private static void Render(TextWriter o, VerificationReport r, bool quiet)
    {
        foreach (var w in r.LayoutWarnings)
            o.WriteLine($"WARNING {w.Message} (Linux loads it)");
        foreach (var c in r.Checks.Where(c => !quiet || c.Status == CheckStatus.Failed))
            o.WriteLine(c);
        if (r.HashSegment is { } segment)
        {
            var signer = r.Signers.Count == 0 ? "no signature" : $"{r.Signers[0].Scheme}, root {r.Signers[0].RootClass.ToString().ToLowerInvariant()} '{r.Signers[0].Chain.Root.Subject.CommonName}'";
            o.WriteLine($"v{segment.Version} {segment.TableAlgorithm.Name} {signer}, SW_ID {(r.HasSoftwareId ? SoftwareIds.Describe(r.SoftwareId) : "-")}");
        }

        o.WriteLine(r.Summary);
    }
}

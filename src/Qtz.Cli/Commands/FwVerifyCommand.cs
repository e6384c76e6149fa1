using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz fw verify FILE</c>: exit 0 only when every hash, chain, signature and policy check passes.</summary>
internal static class FwVerifyCommand
{
    private const long ProgressThreshold = 256L << 20;

    internal static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Image: .mbn, or .mdt with its .bNN beside it" };
        var rootHash = new Option<string[]>("--root-hash") { Description = "Accepted root: SHA-384 or SHA-256 of the root certificate DER, hex (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var pasId = new Option<string?>("--pas-id") { Description = "Require the SW_ID TrustZone expects for this PAS id (e.g. 18 for CDSP)" };
        var minRollback = new Option<string?>("--min-rollback") { Description = "Require an anti-rollback version of at least N" };
        var threads = new Option<string?>("--threads") { Description = "Hash segments on N threads (default: one per core; 1 hashes them in order on one)" };
        var noMmap = new Option<bool>("--no-mmap") { Description = "Read segments with pread instead of a read-only mapping (slower; for files another process may truncate meanwhile)" };
        var json = JsonOutput.CreateOption();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only failed checks and the verdict, no progress" };
        var command = new Command("verify", "Verify an image: segment hashes, certificate chain, signature, root, SW_ID, anti-rollback. " + ExitCodes.HelpText);
        command.Arguments.Add(file);
        command.Options.Add(rootHash);
        command.Options.Add(pasId);
        command.Options.Add(minRollback);
        command.Options.Add(threads);
        command.Options.Add(noMmap);
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
            };
            if (options.PasId is { } id && !PasSoftwareIds.TryGet(id, out _, out _))
                throw new CliUsageException($"--pas-id {id}: no known SW_ID for it; known PAS ids: {string.Join(", ", PasSoftwareIds.KnownPasIds.Order())}");
            using var image = FirmwareImage.Open(parse.GetValue(file)!, memoryMap: !parse.GetValue(noMmap));
            var report = image.Main.Length + image.ProgramHeaders.Sum(ph => (long)Math.Min(ph.FileSize, (ulong)long.MaxValue / 64)) > ProgressThreshold
                ? Terminal.WithProgress(Console.Out, "verify: hashing", progress => FirmwareVerifier.Verify(image, options with { Progress = progress }), image.Main.Length, show: !parse.GetValue(quiet))
                : FirmwareVerifier.Verify(image, options);
            if (parse.GetValue(json))
                JsonOutput.Write(Console.Out, View(image, report));
            else
                Render(Console.Out, report, parse.GetValue(quiet));
            if (report.Passed)
                return ExitCodes.Ok;
            var first = report.FirstFailure!;
            Console.Error.WriteLine($"qtz: verify failed: {first.Subject}: {first.Kind}: {first.Detail}" +
                (report.Failures.Count() > 1 ? $" (and {report.Failures.Count() - 1} more failed checks)" : ""));
            return ExitCodes.CheckFailed;
        });
        return command;
    }

    private static VerifyView View(FirmwareImage image, VerificationReport r) => new(image.Name, r.Passed, r.HashSegment.Version, r.HashSegment.TableAlgorithm.Name!,
        $"0x{r.SoftwareId:X}", r.AntiRollbackVersion, r.Signers.Select(FwViews.Signer).ToList(), r.Checks.Select(FwViews.Check).ToList());

    private static void Render(TextWriter o, VerificationReport r, bool quiet)
    {
        foreach (var c in r.Checks.Where(c => !quiet || c.Status == CheckStatus.Failed))
            o.WriteLine(c);
        var signer = r.Signers[0];
        o.WriteLine($"v{r.HashSegment.Version} {r.HashSegment.TableAlgorithm.Name} {signer.Scheme}, SW_ID 0x{r.SoftwareId:X}, root {signer.RootClass.ToString().ToLowerInvariant()} '{signer.Chain.Root.Subject.CommonName}'");
        var counted = r.Checks.Count(c => c.Status != CheckStatus.Skipped);
        o.WriteLine(r.Passed ? $"OK: all {counted} checks passed" : $"FAILED: {r.Failures.Count()} of {counted} checks failed");
    }
}

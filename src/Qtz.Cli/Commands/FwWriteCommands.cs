using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Firmware.Images;
using Qtz.Firmware.Signing;
using Qtz.Firmware.Writers;
using Qtz.Platform.IO;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz fw squash|split|sign|keygen</c>: the commands that write files.</summary>
internal static class FwWriteCommands
{
    internal static IEnumerable<Command> Create() => [Squash(), Split(), Sign(), Keygen()];

    private static Option<string> Output(string description) => new("--output", "-o") { Description = description, Required = true };

    private static Command Squash()
    {
        var input = new Argument<string>("IN") { Description = "Split image .mdt (its .bNN files beside it)" };
        var output = Output("Output .mbn");
        var command = new Command("squash", "Squash .mdt + .bNN into one .mbn (segments at p_offset, gaps zero-filled), like pil-squasher");
        command.Arguments.Add(input);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            using var image = FirmwareImage.Open(parse.GetValue(input)!);
            AtomicFiles.Write(parse.GetValue(output)!, s => ImageSquasher.Squash(image, s));
            Console.Out.WriteLine($"wrote {parse.GetValue(output)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Split()
    {
        var input = new Argument<string>("IN") { Description = "Single-file image (.mbn)" };
        var output = Output("Directory for NAME.mdt and NAME.bNN");
        var command = new Command("split", "Split an .mbn into .mdt + .bNN, like pil-splitter");
        command.Arguments.Add(input);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(input)!;
            var directory = parse.GetValue(output)!;
            using var image = FirmwareImage.Open(path);
            var created = !Directory.Exists(directory);
            Directory.CreateDirectory(directory);
            try
            {
                using var files = new AtomicFiles();
                var names = ImageSplitter.Split(image, name => files.Create(Path.Combine(directory, name)), Path.GetFileNameWithoutExtension(path));
                files.Commit();
                foreach (var name in names)
                    Console.Out.WriteLine($"wrote {Path.Combine(directory, name)}");
            }
            catch when (created)
            {
                Directory.Delete(directory, recursive: false);
                throw;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sign()
    {
        var input = new Argument<string>("IN") { Description = "Image to sign: one with a hash-segment program header (.mbn or .mdt), or a plain ELF (the hash segment is added as qtestsign places it)" };
        var output = Output("Signed output .mbn");
        var key = new Option<string>("--key") { Description = "Key directory made by 'qtz fw keygen'", Required = true };
        var version = new Option<string?>("--version") { Description = "Hash segment version: 3, 5, 6 or 7 (default 6)" };
        var swId = new Option<string?>("--sw-id") { Description = "SW_ID, e.g. 0x17 for CDSP (default 0)" };
        var hwId = new Option<string?>("--hw-id") { Description = "HW_ID (default 0)" };
        var rollback = new Option<string?>("--rollback") { Description = "Anti-rollback version (default 0)" };
        var qtiKey = new Option<string?>("--qti-key") { Description = "Also countersign as QTI with this key directory (v5-v7; dual-signed image)" };
        var command = new Command("sign", "Test-sign an image: a fresh hash segment with real signatures by the given key set");
        foreach (var o in new Option[] { output, key, version, swId, hwId, rollback, qtiKey })
            command.Options.Add(o);
        command.Arguments.Add(input);
        command.SetAction(parse =>
        {
            var v = parse.GetValue(version) is { } text ? FwCommand.ParseUInt32(text, "--version") : 6;
            if (v is not (3 or 5 or 6 or 7))
                throw new CliUsageException($"--version {v}: use 3, 5, 6 or 7");
            var options = new SignOptions
            {
                Version = (int)v,
                SoftwareId = parse.GetValue(swId) is { } s ? FwCommand.ParseUInt32(s, "--sw-id") : 0,
                HardwareId = parse.GetValue(hwId) is { } h ? FwCommand.ParseUInt32(h, "--hw-id") : 0,
                AntiRollbackVersion = parse.GetValue(rollback) is { } r ? FwCommand.ParseUInt32(r, "--rollback") : 0,
            };
            using var keys = SigningKeys.Load(parse.GetValue(key)!);
            using var qtiKeys = parse.GetValue(qtiKey) is { } q ? SigningKeys.Load(q) : null;
            using var image = FirmwareImage.Open(parse.GetValue(input)!);
            AtomicFiles.Write(parse.GetValue(output)!, s => FirmwareSigner.Sign(image, keys, options, s, qtiKeys));
            Console.Out.WriteLine($"wrote {parse.GetValue(output)} (v{options.Version}, SW_ID 0x{options.SoftwareId:X}, root sha384 {FwCommand.Hex(keys.RootSha384)})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Keygen()
    {
        var output = Output("Directory for root.crt, ca.crt, *.key, root.sha256/.sha384");
        var rsa = new Option<bool>("--rsa") { Description = "RSA-2048 keys (v3 legacy / v5-v7 PSS signatures)" };
        var p384 = new Option<bool>("--p384") { Description = "P-384 keys (ECDSA signatures; the default)" };
        var command = new Command("keygen", "Generate a test root, attestation CA and attestation key");
        command.Options.Add(output);
        command.Options.Add(rsa);
        command.Options.Add(p384);
        command.SetAction(parse =>
        {
            if (parse.GetValue(rsa) && parse.GetValue(p384))
                throw new CliUsageException("choose one of --rsa and --p384");
            using var keys = SigningKeys.Generate(parse.GetValue(rsa) ? SigningKeyType.Rsa2048 : SigningKeyType.P384);
            var directory = parse.GetValue(output)!;
            Directory.CreateDirectory(directory);
            using (var files = new AtomicFiles())
            {
                foreach (var (name, content) in keys.Files())
                    files.Create(Path.Combine(directory, name)).Write(content);
                files.Commit();
            }

            Console.Out.WriteLine($"wrote {keys.Type} test keys to {parse.GetValue(output)}; root sha384 {FwCommand.Hex(keys.RootSha384)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

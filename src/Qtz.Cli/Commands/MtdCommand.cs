using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Platform.IO;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz mtd</c>: mtd-utils-style tools on flash image files, through the whole TZ storage stack.</summary>
internal static class MtdCommand
{
    internal static Command Create()
    {
        var mtd = new Command("mtd", "TrustZone-managed SPI-NOR as an MTD device, on flash image files (info, read, write, erase, copy, test)");
        mtd.Subcommands.Add(Info());
        mtd.Subcommands.Add(Read());
        mtd.Subcommands.Add(Write());
        mtd.Subcommands.Add(Erase());
        mtd.Subcommands.Add(Copy());
        mtd.Subcommands.Add(MtdTestCommand.Create());
        return mtd;
    }

    private static Option<string> Offset(bool required) => new("--offset") { Description = "Byte offset in the device (4096, 0x1000, 4KiB)", Required = required, DefaultValueFactory = _ => "0" };

    private static Option<string> Length() => new("--length") { Description = "Byte count (4096, 0x1000, 4KiB, 32MiB)", Required = true };

    private static Option<string?> PowerCut() => new("--power-cut-at") { Description = "Cut power at PERCENT of the command (40%) or a virtual TIME (150ms)" };

    private static ulong Size(ParseResult parse, Option<string> option) => SizeParser.Parse(parse.GetValue(option)!, option.Name);

    private static PowerCutPlan? Plan(ParseResult parse, Option<string?> cut) => parse.GetValue(cut) is { } c ? PowerCutPlan.Parse(c) : null;

    private static Command Info()
    {
        var common = new MtdCommonOptions();
        var json = JsonOutput.CreateOption();
        var command = common.Define("info", "Show the MTD devices like mtdinfo (name, type, sizes, flags, partitions)", json);
        command.SetAction(parse => MtdOutcome.Run(() =>
        {
            using var session = common.Open(parse, writable: false);
            var only = parse.GetValue(common.Device) is { } name ? session.Device(name) : null;
            MtdInfoView.Render(session, only, parse.GetValue(json), Console.Out);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Read()
    {
        var common = new MtdCommonOptions();
        var offset = Offset(true);
        var length = Length();
        var output = new Option<string?>("--output", "-o") { Description = "Write the bytes to FILE (default: stdout)" };
        var command = common.Define("read", "Read bytes from the device", offset, length, output);
        command.SetAction(parse => MtdOutcome.Run(() =>
        {
            var at = Size(parse, offset);
            var count = Size(parse, length);
            using var session = common.Open(parse, writable: false);
            var path = parse.GetValue(output);
            var device = common.DeviceName(parse);
            if (path is null)
            {
                using var stdout = Console.OpenStandardOutput();
                session.Run(device, null, tool => tool.Read(at, count, stdout));
                return ExitCodes.Ok;
            }

            session.Run(device, null, tool => tool.CheckRange(at, count, "read")); // refuse before creating the file
            AtomicFiles.Write(path, file =>
                Terminal.WithProgress(Console.Out, $"Reading {count} bytes @ {at:x}", report => session.Run(device, null, tool => tool.Read(at, count, file, report))));
            Console.Error.WriteLine($"Copied {count} bytes from address 0x{at:x8} in flash to {path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Write()
    {
        var common = new MtdCommonOptions();
        var offset = Offset(true);
        var cut = PowerCut();
        var file = new Argument<string>("FILE") { Description = "Bytes to program (no erase first, like mtd_debug write)" };
        var command = common.Define("write", "Program a file's bytes at an offset without erasing (stored = old AND new)", offset, cut, file);
        command.SetAction(parse => MtdOutcome.Run(() =>
        {
            var at = Size(parse, offset);
            var plan = Plan(parse, cut);
            var path = parse.GetValue(file)!;
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var session = common.Open(parse, writable: true);
            var device = common.DeviceName(parse);
            var length = (ulong)input.Length;
            Terminal.WithProgress(Console.Out, $"Writing {length} bytes @ {at:x}", report => session.Run(device, plan, tool =>
            {
                input.Position = 0;
                return tool.Write(at, input, length, report);
            }));
            Console.Error.WriteLine($"Copied {length} bytes from {path} to address 0x{at:x8} in flash");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Erase()
    {
        var common = new MtdCommonOptions();
        var offset = Offset(true);
        var length = Length();
        var cut = PowerCut();
        var command = common.Define("erase", "Erase whole eraseblocks (like flash_erase)", offset, length, cut);
        command.SetAction(parse => MtdOutcome.Run(() =>
        {
            var at = Size(parse, offset);
            var count = Size(parse, length);
            var plan = Plan(parse, cut);
            using var session = common.Open(parse, writable: true);
            var device = common.DeviceName(parse);
            var kib = session.Device(device).EraseSize / 1024;
            Terminal.WithProgress(Console.Out, $"Erasing {kib} Kibyte @ {at:x}", report => session.Run(device, plan, tool => tool.Erase(at, count, report)));
            Console.Out.WriteLine($"Erased {count} bytes from address 0x{at:x8} in flash");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Copy()
    {
        var common = new MtdCommonOptions();
        var offset = Offset(false);
        var cut = PowerCut();
        var file = new Argument<string>("FILE") { Description = "Image to flash (erase, write, verify like flashcp -v)" };
        var command = common.Define("copy", "Flash a file like flashcp: erase the blocks it needs, write it, verify it", offset, cut, file);
        command.SetAction(parse => MtdOutcome.Run(() =>
        {
            var at = Size(parse, offset);
            var plan = Plan(parse, cut);
            var path = parse.GetValue(file)!;
            var data = File.ReadAllBytes(path);
            using var session = common.Open(parse, writable: true);
            var device = common.DeviceName(parse);
            var mismatch = Terminal.WithProgress(Console.Out, $"Copying {path}", report =>
                session.Run(device, plan, tool => tool.Copy(data, at, (phase, p) => report(CopyPhases.Overall(phase, p)))));
            if (mismatch is { } m)
                throw new CheckFailedException($"File does not seem to match flash data. First mismatch at 0x{m.Offset:x8}-0x{m.Offset + m.Length:x8}");
            Console.Out.WriteLine($"Copied and verified {data.Length} bytes from {path} at 0x{at:x8}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}

/// <summary>flashcp's three phases as one progress bar: erase, write, verify a third each.</summary>
internal static class CopyPhases
{
    public static double Overall(string phase, double fraction) => phase switch
    {
        "Erasing blocks" => fraction / 3,
        "Writing data" => (1 + fraction) / 3,
        _ => (2 + fraction) / 3,
    };
}

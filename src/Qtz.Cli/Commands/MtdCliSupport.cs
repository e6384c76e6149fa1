using System.CommandLine;
using System.Globalization;
using Qtz.Cli.Infrastructure;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.DeviceTree.Model;

namespace Qtz.Cli.Commands;

/// <summary>The options every <c>qtz mtd</c> command shares, and how they become an <see cref="MtdSession"/>.</summary>
internal sealed class MtdCommonOptions
{
    public Option<string> Image { get; } = new("--image") { Description = "Flash image file (exactly the NOR's bytes)", Required = true };

    public Option<string?> Create { get; } = new("--create") { Description = "Create a new all-0xFF image of SIZE (e.g. 32MiB) first" };

    public Option<string?> Parts { get; } = new("--parts") { Description = "Partitions as mtdparts=qcom_scm_storage:SIZE[@OFS](name)[ro],..." };

    public Option<string?> Dtb { get; } = new("--dtb") { Description = "Device tree whose fixed-partitions node lays out the flash (tried after --parts, like ofpart)" };

    public Option<string?> DtNode { get; } = new("--dt-node") { Description = "Path of the partitions node (or of the flash node holding it) in --dtb, when it has several" };

    public Option<string> TzWrite { get; } = new("--tz-write") { Description = "What TZ's WRITE does: program (AND) or erase-program", DefaultValueFactory = _ => "program" };

    public Option<bool> AllowWrite { get; } = new("--allow-write") { Description = "Allow writes and erases (TZ and driver are read-only by default)" };

    public Option<string?> Device { get; } = new("--device") { Description = "MTD device: mtdN or its name (default mtd0)" };

    /// <summary>The device the command addresses: --device, or mtd0.</summary>
    public string DeviceName(ParseResult parse) => parse.GetValue(Device) ?? "mtd0";

    /// <summary>A subcommand with these common options followed by its own options and arguments.</summary>
    public Command Define(string name, string description, params Symbol[] own)
    {
        var command = new Command(name, description);
        AddTo(command);
        foreach (var symbol in own)
        {
            if (symbol is Option option) command.Options.Add(option);
            else if (symbol is Argument argument) command.Arguments.Add(argument);
        }

        return command;
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Image, Create, Parts, Dtb, DtNode, TzWrite, AllowWrite, Device }) command.Options.Add(option);
    }

    public MtdSession Open(ParseResult parse, bool writable)
    {
        var semantics = parse.GetValue(TzWrite) switch
        {
            "program" => TzWriteSemantics.Program,
            "erase-program" => TzWriteSemantics.EraseProgram,
            var other => throw new CliUsageException($"--tz-write '{other}': expected program or erase-program"),
        };
        var allow = parse.GetValue(AllowWrite);
        var create = parse.GetValue(Create) is { } size ? SizeParser.Parse(size, "--create") : (ulong?)null;
        var dtb = parse.GetValue(Dtb);
        if (dtb is null && parse.GetValue(DtNode) is not null) throw new CliUsageException("--dt-node needs --dtb");
        var dtPartitions = dtb is null ? null : DtFlashPartitions.Find(Qtz.DeviceTree.Model.DtTree.Load(dtb), parse.GetValue(DtNode));
        return new MtdSession(parse.GetValue(Image)!, create, writable && allow, new StorageBoardOptions
        {
            WriteSemantics = semantics,
            AllowWrite = allow,
            MtdParts = parse.GetValue(Parts),
            DtPartitions = dtPartitions,
        });
    }
}

/// <summary>Sizes and offsets as users write them: 4096, 0x1000, 4KiB, 4K, 32MiB, 1GiB.</summary>
internal static class SizeParser
{
    public static ulong Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        (string Suffix, int Shift)[] units = [("KiB", 10), ("MiB", 20), ("GiB", 30), ("K", 10), ("M", 20), ("G", 30)];
        var shift = 0;
        foreach (var (suffix, bits) in units)
        {
            if (!s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            s = s[..^suffix.Length];
            shift = bits;
            break;
        }

        var ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || s.Length == 0 || (shift != 0 && value > ulong.MaxValue >> shift))
            throw new CliUsageException($"{option} '{text}': expected a size such as 4096, 0x1000, 4KiB or 32MiB");
        return value << shift;
    }
}

/// <summary>Turns the storage layer's outcomes into the CLI's: refused requests are bad input, power cuts a failed check.</summary>
internal static class MtdOutcome
{
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (PowerCutException cut)
        {
            throw new CheckFailedException(cut.Message);
        }
        catch (MtdRequestException refused)
        {
            throw new MtdRequestException(refused.Errno, refused.Message + " (nothing was changed)");
        }
    }

    /// <summary>mtdinfo's size text: "N bytes, X.Y KiB|MiB|GiB" with strict thresholds.</summary>
    public static string Size(ulong bytes) => bytes switch
    {
        > 1UL << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes, {bytes / (double)(1UL << 30):0.0} GiB"),
        > 1UL << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes, {bytes / (double)(1UL << 20):0.0} MiB"),
        > 1UL << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes, {bytes / 1024.0:0.0} KiB"),
        _ => $"{bytes} bytes",
    };

    public static string Describe(MtdInfo d) => $"mtd{d.Index} \"{d.Name}\"";

    public static int Errno(int ret) => ret;
}

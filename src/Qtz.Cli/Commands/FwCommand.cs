using System.CommandLine;
using System.Globalization;
using Qtz.Cli.Infrastructure;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz fw</c>: read, verify, squash, split and test-sign Qualcomm MDT/MBN firmware images.</summary>
internal static class FwCommand
{
    internal static Command Create()
    {
        var fw = new Command("fw", "Qualcomm firmware images (.mbn, .mdt + .bNN): info, verify, squash, split, sign, keygen");
        fw.Subcommands.Add(FwInfoCommand.Create());
        fw.Subcommands.Add(FwVerifyCommand.Create());
        foreach (var command in FwWriteCommands.Create())
            fw.Subcommands.Add(command);
        return fw;
    }

    /// <summary>Parses 4096, 0x1000, 4KiB, 32MiB.</summary>
    internal static ulong ParseNumber(string text, string option)
    {
        var t = text.Trim();
        ulong scale = 1;
        foreach (var (suffix, factor) in new[] { ("KiB", 1UL << 10), ("MiB", 1UL << 20), ("GiB", 1UL << 30) })
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                scale = factor;
                t = t[..^suffix.Length];
                break;
            }
        }

        var ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || value > ulong.MaxValue / scale)
            throw new CliUsageException($"{option}: '{text}' is not a number (use e.g. 24, 0x18, 4KiB)");
        return value * scale;
    }

    internal static uint ParseUInt32(string text, string option)
    {
        var value = ParseNumber(text, option);
        return value <= uint.MaxValue ? (uint)value : throw new CliUsageException($"{option}: {text} does not fit in 32 bits");
    }

    internal static byte[] ParseHex(string text, string option)
    {
        try
        {
            var bytes = Convert.FromHexString(text.Trim());
            if (bytes.Length is 32 or 48)
                return bytes;
        }
        catch (FormatException)
        {
        }

        throw new CliUsageException($"{option}: '{text}' must be 64 (SHA-256) or 96 (SHA-384) hex digits");
    }

    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}

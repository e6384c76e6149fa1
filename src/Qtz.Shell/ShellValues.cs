using System.Globalization;
using Qtz.Shell.Reports;

namespace Qtz.Shell;

/// <summary>Numbers, sizes and durations as scripts write them.</summary>
public static class ShellValues
{
    private static readonly (string Suffix, double Nanoseconds)[] TimeUnits =
        [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("min", 60e9)];

    /// <summary>Parses 4096, 0x1000, 4KiB, 32MiB; null when the text is not such a number or overflows.</summary>
    public static ulong? ParseNumber(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var factor = 1UL;
        var digits = text;
        foreach (var (suffix, f) in ByteSize.Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = f;
                digits = text[..^suffix.Length];
                break;
            }
        }

        var hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        var ok = hex
            ? ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || value > ulong.MaxValue / factor)
            return null;
        return value * factor;
    }

    /// <summary>Parses 500ms, 5s, 1.5s, 250us, 2min; a bare number is seconds. Null when malformed or negative.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scale = 1e9;
        var digits = text;
        foreach (var (suffix, ns) in TimeUnits.OrderByDescending(u => u.Suffix.Length))
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length && !char.IsLetter(text[^(suffix.Length + 1)]))
            {
                scale = ns;
                digits = text[..^suffix.Length];
                break;
            }
        }

        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || double.IsInfinity(amount) || amount * scale / 100 > TimeSpan.MaxValue.Ticks)
            return null;
        return TimeSpan.FromTicks((long)Math.Round(amount * scale / 100));
    }

    public static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>4096 → "4 KiB", 0x2000000 → "32 MiB", odd sizes in bytes.</summary>
    public static string Size(ulong bytes) => ByteSize.Format(bytes);
}

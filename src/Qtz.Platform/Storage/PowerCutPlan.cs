using System.Globalization;

namespace Qtz.Platform.Storage;

/// <summary>
/// When to cut power during a command: a percentage of the command's virtual duration (found by a dry
/// run on a copy-on-write view of the flash) or a virtual time after the command starts.
/// </summary>
public sealed record PowerCutPlan(double? Percent, TimeSpan? After)
{
    /// <summary>"37%", "37.5%", or a time with unit: "150ms", "2.5s", "800us", "500ns".</summary>
    public static PowerCutPlan Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var s = text.Trim();
        if (s.EndsWith('%'))
        {
            if (!double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p < 0 || p > 100)
                throw new ArgumentException($"--power-cut-at '{text}': a percentage must be between 0% and 100%");
            return new PowerCutPlan(p, null);
        }

        (string Suffix, double Scale)[] units = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1)];
        foreach (var (suffix, scale) in units)
        {
            if (!s.EndsWith(suffix, StringComparison.Ordinal)) continue;
            if (double.TryParse(s[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0)
                return new PowerCutPlan(null, TimeSpan.FromTicks((long)Math.Round(v * scale * TimeSpan.TicksPerSecond)));
            break;
        }

        throw new ArgumentException($"--power-cut-at '{text}': expected PERCENT (e.g. 40%) or a virtual time (e.g. 150ms, 2.5s, 800us)");
    }

    public override string ToString() => Percent is { } p ? p.ToString("0.##", CultureInfo.InvariantCulture) + "%" : $"{After!.Value.TotalMilliseconds:0.###} ms";
}

/// <summary>A command stopped by the power cut it asked for; the image holds what the chip would hold.</summary>
public sealed class PowerCutException(string message) : Exception(message);

/// <summary>An MTD request the layer refused (bounds, alignment, read-only …): bad input, nothing changed.</summary>
public sealed class MtdRequestException(int errno, string message) : IOException(message)
{
    public int Errno { get; } = errno;
}

using System.Globalization;
using Qtz.Soc.Dsp;

namespace Qtz.Linux.Remoteproc;

/// <summary>What a host-side injection does to a DSP (qtz's <see cref="Qtz.Soc.Dsp.DspCore"/> fault models).</summary>
public enum RprocFault
{
    /// <summary>err_fatal: crash reason in SMEM, then the fatal SMP2P bit (Linux: "fatal error", recovery).</summary>
    Crash,

    /// <summary>Watchdog bite: the wdog interrupt (Linux: "watchdog", recovery).</summary>
    Watchdog,

    /// <summary>The firmware stops answering: no interrupt at all; only Linux's timeouts notice (a later stop waits 5 s for stop-ack).</summary>
    Hang,
}

/// <summary>
/// A host-side fault for one DSP, a time after that DSP first came up (its first "ready", in virtual
/// time, which follows the guest's wall clock): <c>crash adsp@5s</c>, <c>wdog cdsp0@2500ms</c>,
/// <c>hang gpdsp1@10s</c>. Counting from the DSP's own start, not from boot, keeps a script's timing
/// independent of how long the guest took to boot on a loaded machine. A DSP that is not running at
/// that moment (stopped meanwhile) is left alone and the run's output says so.
/// </summary>
public sealed record RprocInjection(RprocFault Fault, string Dsp, TimeSpan At)
{
    public override string ToString() => $"{Keyword(Fault)} {Dsp}@{At.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";

    /// <summary>Parses <c>KIND NAME@TIME</c>; TIME is a number with ms or s. Bad text → <see cref="FormatException"/> naming the part.</summary>
    public static RprocInjection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[1].IndexOf('@', StringComparison.Ordinal) is not (> 0 and var at))
            throw new FormatException($"injection '{text}': expected 'KIND NAME@TIME', e.g. 'crash adsp@5s' (KIND crash|wdog|hang)");
        var fault = parts[0].ToLowerInvariant() switch
        {
            "crash" or "fatal" => RprocFault.Crash,
            "wdog" or "watchdog" => RprocFault.Watchdog,
            "hang" => RprocFault.Hang,
            _ => throw new FormatException($"injection '{text}': unknown kind '{parts[0]}' (crash, wdog or hang)"),
        };
        var name = parts[1][..at];
        return new RprocInjection(fault, name, ParseTime(text, parts[1][(at + 1)..]));
    }

    private static TimeSpan ParseTime(string text, string time)
    {
        var (number, scale) = time.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (time[..^2], 1.0)
            : time.EndsWith('s') || time.EndsWith('S') ? (time[..^1], 1000.0)
            : (time, double.NaN);
        if (double.IsNaN(scale) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 86_400_000 / scale)
            throw new FormatException($"injection '{text}': time '{time}' is not a non-negative duration like 5s or 2500ms");
        return TimeSpan.FromMilliseconds(value * scale);
    }

    private static string Keyword(RprocFault fault) => fault switch
    {
        RprocFault.Crash => "crash",
        RprocFault.Watchdog => "wdog",
        _ => "hang",
    };
}

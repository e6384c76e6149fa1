using System.Diagnostics;
using System.Globalization;

namespace Qtz.Cli.Infrastructure;

/// <summary>
/// Progress on stderr, so stdout stays data. On a terminal: one bar redrawn in place with a carriage
/// return (no escape sequences, so NO_COLOR changes nothing here: it removes colour, never progress),
/// with percentage, rate and ETA. Not a terminal (pipes, CI, tests): plain lines, at most one per 10%.
/// <c>--quiet</c> commands pass <c>show: false</c>.
/// </summary>
public static class Terminal
{
    private const int BarWidth = 30;
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(100);

    public static bool ColorEnabled =>
        !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>
    /// Runs <paramref name="work"/>, which reports progress in [0, 1]. <paramref name="totalBytes"/>, when
    /// known, makes the rate a byte rate (MiB/s); otherwise it is percent per second.
    /// </summary>
    public static T WithProgress<T>(TextWriter stdout, string label, Func<Action<double>, T> work, double? totalBytes = null, bool show = true)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!show) return work(_ => { });
        var interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsErrorRedirected;
        var clock = Stopwatch.StartNew();
        var lastDraw = TimeSpan.MinValue;
        var lastDecile = -1;
        var drawn = false;
        var result = work(p =>
        {
            p = Math.Clamp(p, 0, 1);
            if (interactive)
            {
                if (clock.Elapsed - lastDraw < Redraw && p < 1) return;
                lastDraw = clock.Elapsed;
                Console.Error.Write("\r" + Bar(label, p, clock.Elapsed, totalBytes));
                drawn = true;
                return;
            }

            var decile = (int)(p * 10);
            if (decile <= lastDecile) return;
            lastDecile = decile;
            Console.Error.WriteLine(Line(label, p, clock.Elapsed, totalBytes));
        });
        if (drawn) Console.Error.Write("\r" + new string(' ', Bar(label, 1, clock.Elapsed, totalBytes).Length + 8) + "\r");
        return result;
    }

    /// <summary><c>label [#########.............]  42%  118.3 MiB/s  ETA 3s</c></summary>
    public static string Bar(string label, double fraction, TimeSpan elapsed, double? totalBytes)
    {
        var filled = (int)Math.Round(fraction * BarWidth);
        return $"{label} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {Line(null, fraction, elapsed, totalBytes)}";
    }

    /// <summary><c>label: 40% (118.3 MiB/s, ETA 3s)</c>; without a label, the figures alone.</summary>
    public static string Line(string? label, double fraction, TimeSpan elapsed, double? totalBytes)
    {
        var seconds = elapsed.TotalSeconds;
        var rate = seconds > 0 && fraction > 0
            ? totalBytes is { } total
                ? string.Create(CultureInfo.InvariantCulture, $"{fraction * total / seconds / (1 << 20):0.0} MiB/s")
                : string.Create(CultureInfo.InvariantCulture, $"{fraction * 100 / seconds:0.0} %/s")
            : "-";
        var eta = fraction is > 0 and < 1 ? Duration(seconds * (1 - fraction) / fraction) : fraction >= 1 ? "done" : "-";
        var figures = string.Create(CultureInfo.InvariantCulture, $"{fraction * 100,3:0}% ({rate}, ETA {eta})");
        return label is null ? figures : $"{label}: {figures}";
    }

    private static string Duration(double seconds) => seconds switch
    {
        < 1 => "<1s",
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(seconds / 60):0}m{Math.Floor(seconds % 60):00}s"),
    };
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Qtz.Linux.Run;

/// <summary>
/// Reads the guest's console line by line: keeps the lines, forwards them, and notices the markers —
/// our init's "qtz-init: reached uptime=S" and "qtz-exit: N" (the script's status) and the kernel's
/// "Kernel panic - not syncing".
/// </summary>
internal sealed partial class ConsoleWatcher(Action<string>? forward)
{
    public const string ExitMarker = "qtz-exit: ";
    public const string InitMarker = "qtz-init: reached";
    private readonly List<string> _lines = [];
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    public int? ExitStatus { get; private set; }

    public bool Panicked { get; private set; }

    /// <summary>Guest uptime when init started (boot to /init as the guest counts it).</summary>
    public TimeSpan? InitUptime { get; private set; }

    public TimeSpan? InitWall { get; private set; }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    public void Line(string line)
    {
        line = line.TrimEnd('\r');
        lock (_lines) _lines.Add(line);
        forward?.Invoke(line);
        if (line.StartsWith(ExitMarker, StringComparison.Ordinal) && ExitStatus is null)
        {
            var token = line[ExitMarker.Length..].Split(' ', 2)[0];
            ExitStatus = int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var status) ? status : 255;
        }
        else if (line.StartsWith(InitMarker, StringComparison.Ordinal) && Uptime().Match(line) is { Success: true } m)
        {
            InitUptime = TimeSpan.FromSeconds(double.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            InitWall = _wall.Elapsed;
        }
        else if (line.Contains("Kernel panic - not syncing", StringComparison.Ordinal))
        {
            Panicked = true;
        }
    }

    [GeneratedRegex(@"uptime=([0-9]+\.[0-9]+)")]
    private static partial Regex Uptime();
}

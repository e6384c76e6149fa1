using System.Globalization;
using System.Net;
using System.Text;
using Qtz.Platform.Tracing;

namespace Qtz.Shell.Reports;

/// <summary>
/// Swimlanes of the timeline: one row per track (each remoteproc, SCM, SMMU …), virtual time across,
/// instants as ticks, spans as bars, every mark with a tooltip. Linear in time: a timeline is read in
/// order, and the scale is printed.
/// </summary>
public static class TimelineSvg
{
    private const double Left = 120;
    private const double Width = 900;
    private const double Row = 22;
    private const double Top = 24;

    private static readonly string[] Colours = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#dc2626", "#0891b2", "#4b5563"];

    /// <summary>A remoteproc crash or recovery (the events a reader looks for first).</summary>
    internal static bool IsMilestone(TraceRecord r) => r.Track.StartsWith("rproc", StringComparison.Ordinal) && (IsCrash(r) || IsRecovery(r));

    // the remoteproc log says "crash detected in adsp: …" and "recovering adsp"; a bare "crash" event counts too
    private static bool IsCrash(TraceRecord r) => r.Name == "crash" || Text(r).StartsWith("crash detected", StringComparison.Ordinal);

    private static bool IsRecovery(TraceRecord r) => Text(r).StartsWith("recover", StringComparison.Ordinal);

    private static string Text(TraceRecord r) => r.Args.TryGetValue("what", out var what) ? what : r.Name;

    public static string Render(IReadOnlyList<TraceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var tracks = ChromeTraceWriter.TrackIds(records).OrderBy(t => t.Value).Select(t => t.Key).ToArray();
        var end = records.Count == 0 ? 1 : Math.Max(1, records.Max(r => r.Time.Nanoseconds + (r.Duration.Ticks * 100)));
        var height = Top + (tracks.Length * Row) + 24;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"100%\" style=\"max-width:{Left + Width + 20:0}px\" viewBox=\"0 0 {Left + Width + 20:0} {height:0}\" font-family=\"system-ui, sans-serif\" font-size=\"11\">\n");
        for (var i = 0; i < tracks.Length; i++)
        {
            var y = Top + (i * Row);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left:0}\" y=\"{y:0.#}\" width=\"{Width:0}\" height=\"{Row - 4:0}\" fill=\"{(i % 2 == 0 ? "#f9fafb" : "#f3f4f6")}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6:0}\" y=\"{y + 13:0.#}\" text-anchor=\"end\">{WebUtility.HtmlEncode(tracks[i])}</text>\n");
        }

        var row = tracks.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
        foreach (var r in records)
        {
            var i = row[r.Track];
            var x = Left + (Width * r.Time.Nanoseconds / end);
            var y = Top + (i * Row);
            var colour = Colours[i % Colours.Length];
            var tip = WebUtility.HtmlEncode($"{r.Time} s {r.Track}: {r.Name} {string.Join(" ", r.Args.Select(a => a.Key + "=" + a.Value))}");
            var w = r.Kind == TraceKind.Complete ? Math.Max(2, Width * r.Duration.Ticks * 100 / end) : 2;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"{y + 2:0.#}\" width=\"{w:0.##}\" height=\"{Row - 8:0}\" fill=\"{colour}\"><title>{tip}</title></rect>\n");
        }

        // crashes and recoveries: a marker across every track, so cause and effect line up
        foreach (var r in records.Where(IsMilestone))
        {
            var x = Left + (Width * r.Time.Nanoseconds / end);
            var crash = IsCrash(r);
            var colour = crash ? "#dc2626" : "#059669";
            var tip = WebUtility.HtmlEncode($"{r.Time} s {r.Track}: {Text(r)}");
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"{(crash ? "crash" : "recovery")}\"><title>{tip}</title><line x1=\"{x:0.##}\" y1=\"{Top - 6:0}\" x2=\"{x:0.##}\" y2=\"{Top + (tracks.Length * Row):0}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.##}\" y=\"{Top - 9:0}\" text-anchor=\"middle\" style=\"fill:{colour}\" font-size=\"10\">{(crash ? "✕" : "↻")}</text></g>\n");
        }

        var axisY = Top + (tracks.Length * Row) + 12;
        for (var k = 0; k <= 4; k++)
        {
            var t = end * k / 4.0 / 1e9;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (Width * k / 4):0}\" y=\"{axisY:0}\" text-anchor=\"middle\" fill=\"#4b5563\">{t:0.######} s</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }
}

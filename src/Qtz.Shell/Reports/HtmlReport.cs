using System.Globalization;
using System.Net;
using System.Text;
using Qtz.Platform.Tracing;
using Qtz.Platform.IO;
using Qtz.Soc.Addressing;

namespace Qtz.Shell.Reports;

/// <summary>
/// Renders a <see cref="BoardReport"/> as one self-contained HTML page: inline CSS and SVG, no scripts,
/// no external assets. Sections: facts, final state, memory map (SVG + table), SMMU mappings per
/// stream, timeline (SVG swimlanes + table).
/// </summary>
public static class HtmlReport
{
    /// <summary>Timeline rows beyond this are summarised (a 100-cycle soak makes thousands of records).</summary>
    public const int MaxTimelineRows = 2000;

    /// <summary>Mapping runs listed per stream; the rest are counted (the memory map draws them all).</summary>
    public const int MaxMappingRows = 64;

    public static string Render(BoardReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{E(report.Title)}</title>\n<style>\n{Css}</style>\n</head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(report.Title)}</h1>\n<p class=\"facts\">virtual time {E(report.TakenAt.ToString())} s");
        foreach (var (key, value) in report.Facts)
            html.Append(CultureInfo.InvariantCulture, $" · <b>{E(key)}</b> {E(value)}");
        html.Append("</p>\n");

        html.Append("<h2>Remote processors</h2>\n");
        Table(html, ["name", "state", "recovery", "crashes", "PAS id", "firmware", "last crash"], report.FinalState.Select(r => new[]
        {
            r.Name, r.State.ToString().ToLowerInvariant(), r.Recovery ? "enabled" : "disabled", r.Crashes.ToString(CultureInfo.InvariantCulture),
            r.PasId?.ToString(CultureInfo.InvariantCulture) ?? "", r.Firmware ?? "", r.LastCrashReason ?? "",
        }), row => "state-" + row[1]);

        html.Append("<h2>Memory map</h2>\n<p class=\"note\">Segmented logarithmic scale: each band's height grows with log₂ of its size; dashed lines mark unused address space that is not drawn.</p>\n");
        html.Append("<div class=\"scroll\">\n").Append(MemoryMapSvg.Render(report)).Append("</div>\n");
        Table(html, ["kind", "name", "start", "end", "size", "detail"], report.Regions.OrderBy(r => r.Base).ThenBy(r => r.Kind).Select(r => new[]
        {
            MemoryRegion.KindName(r.Kind), r.Name, $"0x{r.Base:x}", $"0x{r.Last:x}", MemoryMapSvg.Size(r.Size), r.Detail ?? "",
        }), row => "kind-" + row[0]);

        html.Append("<h2>SMMU mappings</h2>\n");
        if (report.Mappings.Count == 0)
            html.Append("<p class=\"note\">no live mappings</p>\n");
        foreach (var stream in report.Mappings.GroupBy(m => (m.Remoteproc, m.StreamId)).OrderBy(g => g.Key.StreamId))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(stream.Key.Remoteproc)} — stream 0x{stream.Key.StreamId:x}</h3>\n");
            var runs = MemoryMapSvg.Merge(stream);
            if (runs.Count < stream.Count())
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{stream.Count()} mappings, shown as {runs.Count} contiguous runs (same IOVA and physical step, same permissions).</p>\n");
            Table(html, ["iova", "phys", "size", "prot", "owner"], runs.Take(MaxMappingRows).Select(m => new[]
            {
                $"0x{m.Iova:x}", $"0x{m.PhysicalAddress:x}", MemoryMapSvg.Size(m.Size), m.Permissions, m.Owner,
            }), _ => "");
            if (runs.Count > MaxMappingRows)
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{runs.Count - MaxMappingRows} more runs not listed.</p>\n");
        }

        html.Append("<h2>Timeline</h2>\n<div class=\"scroll\">\n").Append(TimelineSvg.Render(report.Timeline)).Append("</div>\n");
        Table(html, ["time (s)", "track", "event", "details"], report.Timeline.Take(MaxTimelineRows).Select(t => new[]
        {
            t.Time.ToString(), t.Track, t.Name + (t.Kind == TraceKind.Complete ? $" ({t.Duration.TotalMicroseconds.ToString("0.#", CultureInfo.InvariantCulture)} µs)" : ""),
            string.Join(" ", t.Args.Select(a => a.Key + "=" + a.Value)),
        }), row => "track-" + (row[1].StartsWith("rproc", StringComparison.Ordinal) ? "rproc" : row[1]));
        if (report.Timeline.Count > MaxTimelineRows)
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{report.Timeline.Count - MaxTimelineRows} later events not listed; export them with --trace.</p>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    public static void WriteFile(string path, BoardReport report) =>
        AtomicFiles.WriteAllText(path, Render(report));

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static void Table(StringBuilder html, string[] header, IEnumerable<string[]> rows, Func<string[], string> rowClass)
    {
        html.Append("<table>\n<thead><tr>");
        foreach (var h in header)
            html.Append("<th>").Append(E(h)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"{E(rowClass(row))}\">");
            foreach (var cell in row)
                html.Append("<td>").Append(E(cell)).Append("</td>");
            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private const string Css = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #111827; background: #fff; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; }
        h3 { font-size: 14px; margin: 16px 0 6px; }
        .facts, .note { color: #4b5563; font-size: 13px; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 12.5px; }
        th, td { border: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; font-family: ui-monospace, monospace; }
        th { background: #f3f4f6; font-family: system-ui, sans-serif; }
        tr.state-running td:nth-child(2) { color: #047857; font-weight: bold; }
        tr.state-crashed td:nth-child(2) { color: #b91c1c; font-weight: bold; }
        tr.state-offline td:nth-child(2) { color: #6b7280; }
        tr.kind-carveout td:first-child { background: #fde68a; } tr.kind-shm-bridge td:first-child { background: #bbf7d0; }
        tr.kind-protection td:first-child { background: #fecaca; } tr.kind-ram td:first-child { background: #dbeafe; }
        tr.kind-reserved td:first-child { background: #e5e7eb; }
        .scroll { overflow-x: auto; }
        svg text { fill: #111827; }

        """;
}

using System.Globalization;
using System.Net;
using System.Text;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Addressing;

namespace Qtz.Shell.Reports;

/// <summary>
/// Draws the memory map as inline SVG: an address axis, then one lane per region kind (RAM, reserved,
/// carveouts, SHM bridges, protection regions) and one lane per SMMU stream (its mappings placed by
/// physical address). Every box carries its name as text and as a &lt;title&gt; tooltip.
/// </summary>
public static class MemoryMapSvg
{
    private const double Top = 34;
    private const double AxisWidth = 150;
    private const double LaneWidth = 150;
    private const double LaneGap = 8;
    private const double CharWidth = 6.2;

    private static readonly (RegionKind Kind, string Title, string Fill)[] Lanes =
    [
        (RegionKind.Ram, "RAM", "#dbeafe"),
        (RegionKind.Reserved, "reserved-memory", "#e5e7eb"),
        (RegionKind.Carveout, "carveouts", "#fde68a"),
        (RegionKind.ShmBridge, "SHM bridges", "#bbf7d0"),
        (RegionKind.Protection, "protection (XPU)", "#fecaca"),
    ];

    private const string MappingFill = "#ddd6fe";

    public static string Render(BoardReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var streams = report.Mappings.GroupBy(m => (m.Remoteproc, m.StreamId)).OrderBy(g => g.Key.StreamId)
            .Select(g => (g.Key, Runs: Merge(g))).ToArray();
        var ranges = report.Regions.Where(r => r.Size > 0).Select(r => (r.Base, r.End))
            .Concat(streams.SelectMany(s => s.Runs).Select(m => (m.PhysicalAddress, (UInt128)m.PhysicalAddress + m.Size)));
        var scale = new MemoryMapScale(ranges);
        var laneCount = Lanes.Length + streams.Length;
        var width = AxisWidth + (laneCount * (LaneWidth + LaneGap));
        var height = Top + scale.Height + 10;
        var svg = new StringBuilder();
        // width 100%: the drawing scales down to the page instead of overflowing it (tooltips keep the detail)
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"memmap\" width=\"100%\" style=\"max-width:{width:0}px\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"ui-monospace, monospace\" font-size=\"10\">\n");
        DrawAxis(svg, scale, width);
        for (var i = 0; i < Lanes.Length; i++)
        {
            var (kind, title, fill) = Lanes[i];
            var x = LaneX(i);
            LaneHeader(svg, x, title);
            foreach (var r in report.Regions.Where(r => r.Kind == kind && r.Size > 0))
                Box(svg, x, scale.Y(r.Base), scale.Y(r.End), fill, r.Name, $"{r.Name} {Range(r.Base, r.End)} {Size(r.Size)}{(r.Detail is null ? "" : " — " + r.Detail)}", kind.ToString().ToLowerInvariant());
        }

        for (var s = 0; s < streams.Length; s++)
        {
            var x = LaneX(Lanes.Length + s);
            LaneHeader(svg, x, $"SMMU {streams[s].Key.Remoteproc} sid 0x{streams[s].Key.StreamId:x}");
            foreach (var m in streams[s].Runs)
            {
                var end = (UInt128)m.PhysicalAddress + m.Size;
                Box(svg, x, scale.Y(m.PhysicalAddress), scale.Y(end), MappingFill, $"iova 0x{m.Iova:x} {m.Permissions}",
                    $"{m.Remoteproc} sid 0x{m.StreamId:x}: iova 0x{m.Iova:x} → pa {Range(m.PhysicalAddress, end)} {Size(m.Size)} {m.Permissions} ({m.Owner})", "mapping");
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>
    /// One box per run of mappings contiguous in both IOVA and physical address with the same
    /// permissions and owner: a carveout mapped page by page is one box, not half a million.
    /// </summary>
    internal static IReadOnlyList<SmmuMappingInfo> Merge(IEnumerable<SmmuMappingInfo> mappings)
    {
        var runs = new List<SmmuMappingInfo>();
        foreach (var m in mappings.Where(m => m.Size > 0).OrderBy(m => m.Iova))
        {
            if (runs.Count > 0 && runs[^1] is var last && last.Iova + last.Size == m.Iova && last.PhysicalAddress + last.Size == m.PhysicalAddress
                && last.Permissions == m.Permissions && last.Owner == m.Owner)
                runs[^1] = last with { Size = last.Size + m.Size };
            else
                runs.Add(m);
        }

        return runs;
    }

    private static double LaneX(int lane) => AxisWidth + (lane * (LaneWidth + LaneGap));

    private static void LaneHeader(StringBuilder svg, double x, string title) =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (LaneWidth / 2):0.#}\" y=\"{Top - 12:0.#}\" text-anchor=\"middle\" font-weight=\"bold\">{Clip(title, LaneWidth)}</text>\n");

    private static void DrawAxis(StringBuilder svg, MemoryMapScale scale, double width)
    {
        foreach (var (y, h) in scale.Gaps)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{AxisWidth - 6:0}\" y1=\"{Top + y + (h / 2):0.#}\" x2=\"{width:0}\" y2=\"{Top + y + (h / 2):0.#}\" stroke=\"#9ca3af\" stroke-dasharray=\"3 4\"/>\n");
        }

        var lastLabel = double.NegativeInfinity;
        foreach (var edge in scale.Breakpoints)
        {
            var y = Top + scale.Y(edge);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{AxisWidth - 6:0}\" y1=\"{y:0.#}\" x2=\"{AxisWidth - 2:0}\" y2=\"{y:0.#}\" stroke=\"#374151\"/>\n");
            if (y - lastLabel < 11)
                continue;
            lastLabel = y;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{AxisWidth - 10:0}\" y=\"{y + 3.5:0.#}\" text-anchor=\"end\" fill=\"#374151\">0x{edge:x9}</text>\n");
        }
    }

    private static void Box(StringBuilder svg, double x, double y0, double y1, string fill, string label, string tooltip, string cssClass)
    {
        var h = Math.Max(1, y1 - y0);
        svg.Append(CultureInfo.InvariantCulture, $"<g class=\"{cssClass}\"><title>{WebUtility.HtmlEncode(tooltip)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{Top + y0:0.#}\" width=\"{LaneWidth:0}\" height=\"{h:0.#}\" fill=\"{fill}\" stroke=\"#1f2937\" stroke-width=\"0.6\" rx=\"2\"/>");
        if (h >= 11)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 4:0.#}\" y=\"{Top + y0 + Math.Min(h / 2, 12) + 3.5:0.#}\">{Clip(label, LaneWidth - 8)}</text>");
        svg.Append("</g>\n");
    }

    private static string Clip(string text, double room)
    {
        var max = (int)(room / CharWidth);
        return WebUtility.HtmlEncode(text.Length <= max ? text : text[..Math.Max(1, max - 1)] + "…");
    }

    internal static string Range(ulong start, UInt128 end) => $"0x{start:x}–0x{end - 1:x}";

    internal static string Size(ulong bytes) => ByteSize.Format(bytes);
}

using System.Text;

namespace Qtz.Shell.Reports;

/// <summary>
/// The device side of the SMMU mappings as inline SVG: an IOVA axis of its own and one lane per stream,
/// each mapping run placed by its IOVA and labelled with the physical address it reaches. Physical
/// addresses have their own axis in <see cref="MemoryMapSvg"/>; IOVAs and physical addresses are
/// different address spaces, so one scale for both would put a DSP's low IOVAs beside unrelated RAM.
/// </summary>
public static class IovaMapSvg
{
    private const string Fill = "#ddd6fe";

    /// <summary>The drawing, or null when no stream has a live mapping.</summary>
    public static string? Render(BoardReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var streams = report.Mappings.GroupBy(m => (m.Remoteproc, m.StreamId)).OrderBy(g => g.Key.StreamId)
            .Select(g => (g.Key, Runs: MemoryMapSvg.Merge(g))).Where(s => s.Runs.Count > 0).ToArray();
        if (streams.Length == 0)
            return null;
        var scale = new MemoryMapScale(streams.SelectMany(s => s.Runs).Select(m => (m.Iova, (UInt128)m.Iova + m.Size)));
        var width = MemoryMapSvg.AxisWidth + (streams.Length * (MemoryMapSvg.LaneWidth + MemoryMapSvg.LaneGap));
        var svg = new StringBuilder();
        MemoryMapSvg.Open(svg, "iovamap", width, MemoryMapSvg.Top + scale.Height + 10);
        MemoryMapSvg.DrawAxis(svg, scale, width, "iova", "IOVA");
        for (var s = 0; s < streams.Length; s++)
        {
            var x = MemoryMapSvg.LaneX(s);
            MemoryMapSvg.LaneHeader(svg, x, $"{streams[s].Key.Remoteproc} sid 0x{streams[s].Key.StreamId:x}");
            foreach (var m in streams[s].Runs)
            {
                var end = (UInt128)m.Iova + m.Size;
                MemoryMapSvg.Box(svg, x, scale.Y(m.Iova), scale.Y(end), Fill, $"pa 0x{m.PhysicalAddress:x} {m.Permissions}",
                    $"{m.Remoteproc} sid 0x{m.StreamId:x}: iova {MemoryMapSvg.Range(m.Iova, end)} → pa 0x{m.PhysicalAddress:x} {MemoryMapSvg.Size(m.Size)} {m.Permissions} ({m.Owner})", "mapping");
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }
}

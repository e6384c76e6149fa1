using System.Globalization;
using System.Text;

namespace Qtz.Platform.Tracing;

/// <summary>
/// ftrace-like text, one record per line, in the shape of <c>/sys/kernel/tracing/trace</c>:
/// <c>TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: args</c>. The track stands in for the task, its tid for the
/// pid, the timestamp is virtual seconds with microseconds, spans show as <c>name (dur=…us)</c>.
/// </summary>
public static class FtraceTextWriter
{
    public static void Write(TextWriter output, IReadOnlyList<TraceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        var tids = ChromeTraceWriter.TrackIds(records);
        output.WriteLine("# tracer: qtz (virtual time)");
        output.WriteLine("#");
        output.WriteLine($"# entries-in-buffer/entries-written: {records.Count}/{records.Count}");
        output.WriteLine("#");
        output.WriteLine("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION");
        output.WriteLine("#              | |         |   |||||     |         |");
        foreach (var r in records)
            output.WriteLine(Line(r, tids[r.Track]));
    }

    public static string Line(TraceRecord r, int tid)
    {
        ArgumentNullException.ThrowIfNull(r);
        var task = (r.Track.Replace(' ', '_') + "-" + tid.ToString(CultureInfo.InvariantCulture)).PadLeft(20);
        var line = new StringBuilder();
        line.Append(task).Append("  [000] .....  ").Append(r.Time.ToString()).Append(": ").Append(r.Name);
        line.Append(r.Kind switch
        {
            TraceKind.Begin => " (begin)",
            TraceKind.End => " (end)",
            TraceKind.Complete => " (dur=" + (r.Duration.Ticks / 10.0).ToString("0.###", CultureInfo.InvariantCulture) + "us)",
            _ => "",
        });
        if (r.Args.Count > 0)
        {
            line.Append(':');
            foreach (var (key, value) in r.Args)
                line.Append(' ').Append(key).Append('=').Append(value.Contains(' ', StringComparison.Ordinal) ? "\"" + value + "\"" : value);
        }

        return line.ToString();
    }
}

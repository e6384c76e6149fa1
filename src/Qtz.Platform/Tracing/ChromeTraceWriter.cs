using System.Text.Json;

namespace Qtz.Platform.Tracing;

/// <summary>
/// Chrome/Perfetto trace-event JSON (the "JSON Object Format"): <c>{"traceEvents":[…]}</c>, every
/// event with ph/ts/pid/tid/name/args, ts and dur in microseconds of virtual time. Each track is a
/// thread of one process, named with a <c>thread_name</c> metadata event so Perfetto shows
/// "rproc:adsp" and "scm" as rows; tids are given in order of first appearance.
/// </summary>
public static class ChromeTraceWriter
{
    public const int ProcessId = 1;
    private const string ProcessName = "qtz board";

    public static void Write(TextWriter output, IReadOnlyList<TraceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("displayTimeUnit", "ms");
            json.WriteStartArray("traceEvents");
            WriteMetadata(json, "process_name", 0, ProcessName);
            var tids = TrackIds(records);
            foreach (var (track, tid) in tids)
                WriteMetadata(json, "thread_name", tid, track);
            foreach (var r in records)
                WriteEvent(json, r, tids[r.Track]);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        output.WriteLine();
    }

    /// <summary>Track → tid (from 1) in order of first appearance.</summary>
    public static Dictionary<string, int> TrackIds(IEnumerable<TraceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var tids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in records)
            tids.TryAdd(r.Track, tids.Count + 1);
        return tids;
    }

    private static void WriteMetadata(Utf8JsonWriter json, string name, int tid, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("ts", 0);
        json.WriteNumber("pid", ProcessId);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        json.WriteString("name", value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteEvent(Utf8JsonWriter json, TraceRecord r, int tid)
    {
        json.WriteStartObject();
        json.WriteString("name", r.Name);
        json.WriteString("cat", r.Track);
        json.WriteString("ph", Phase(r.Kind));
        json.WriteNumber("ts", TraceRecord.Microseconds(r.Time.Nanoseconds));
        if (r.Kind == TraceKind.Complete)
            json.WriteNumber("dur", r.Duration.Ticks / 10.0);
        if (r.Kind == TraceKind.Instant)
            json.WriteString("s", "t");
        json.WriteNumber("pid", ProcessId);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        foreach (var (key, value) in r.Args)
            json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Phase(TraceKind kind) => kind switch
    {
        TraceKind.Instant => "i",
        TraceKind.Begin => "B",
        TraceKind.End => "E",
        TraceKind.Complete => "X",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown trace kind"),
    };
}

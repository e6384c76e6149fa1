using System.Text.Json;

namespace Qtz.Platform.Tracing;

/// <summary>One JSON object per record per line: time_ns, track, name, kind, dur_ns (spans), args.</summary>
public static class JsonLinesTraceWriter
{
    public static void Write(TextWriter output, IReadOnlyList<TraceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        foreach (var r in records)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteNumber("time_ns", r.Time.Nanoseconds);
                json.WriteString("track", r.Track);
                json.WriteString("name", r.Name);
                json.WriteString("kind", r.Kind.ToString().ToLowerInvariant());
                if (r.Kind == TraceKind.Complete)
                    json.WriteNumber("dur_ns", r.Duration.Ticks * 100);
                json.WriteStartObject("args");
                foreach (var (key, value) in r.Args)
                    json.WriteString(key, value);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
    }
}

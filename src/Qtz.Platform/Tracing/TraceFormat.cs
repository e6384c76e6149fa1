using Qtz.Platform.IO;

namespace Qtz.Platform.Tracing;

/// <summary>The three export formats, chosen by the file extension of <c>--trace FILE</c>.</summary>
public enum TraceFormat
{
    /// <summary>Chrome/Perfetto trace-event JSON (<c>.json</c>).</summary>
    ChromeJson,

    /// <summary>ftrace-like text (<c>.txt</c>).</summary>
    FtraceText,

    /// <summary>One JSON object per line (<c>.jsonl</c>).</summary>
    JsonLines,
}

/// <summary>
/// Picks a format from a path and writes records in it: <c>.json</c> is Chrome/Perfetto trace JSON,
/// <c>.jsonl</c> JSON lines, anything else (<c>.txt</c>, <c>.log</c>, no extension) ftrace-like text.
/// </summary>
public static class TraceExport
{
    public static TraceFormat FormatFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".JSON" => TraceFormat.ChromeJson,
            ".JSONL" => TraceFormat.JsonLines,
            _ => TraceFormat.FtraceText,
        };
    }

    public static void Write(TextWriter output, TraceFormat format, IReadOnlyList<TraceRecord> records)
    {
        switch (format)
        {
            case TraceFormat.ChromeJson: ChromeTraceWriter.Write(output, records); break;
            case TraceFormat.FtraceText: FtraceTextWriter.Write(output, records); break;
            case TraceFormat.JsonLines: JsonLinesTraceWriter.Write(output, records); break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format, "unknown trace format");
        }
    }

    /// <summary>Writes <paramref name="records"/> to <paramref name="path"/> in the format its extension names.</summary>
    public static void WriteFile(string path, IReadOnlyList<TraceRecord> records)
    {
        var format = FormatFor(path);
        AtomicFiles.Write(path, file =>
        {
            using var writer = new StreamWriter(file, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Write(writer, format, records);
        });
    }
}

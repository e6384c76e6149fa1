using System.Text.Json;
using Qtz.Platform.Tracing;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Platform.Tests.Tracing;

public sealed class TraceWriterTests
{
    internal static IReadOnlyList<TraceRecord> Scenario()
    {
        var log = new TraceLog();
        var ms = 1_000_000L;
        log.Instant(new VirtualTime(0), "rproc:adsp", "state", new Dictionary<string, string> { ["from"] = "offline", ["to"] = "running" });
        log.Add(TraceRecord.Complete(new VirtualTime(1 * ms), TimeSpan.FromMicroseconds(40), "scm", "PIL.PAS_INIT_IMAGE", new Dictionary<string, string> { ["pas_id"] = "1", ["status"] = "SUCCESS" }));
        log.Instant(new VirtualTime(2 * ms), "smmu", "map", new Dictionary<string, string> { ["sid"] = "0x3000", ["iova"] = "0x95c00000", ["size"] = "0x2000000" });
        log.Add(new TraceRecord(new VirtualTime(3 * ms), "rproc:cdsp0", "boot", TraceKind.Begin, TraceRecord.NoArgs));
        log.Add(new TraceRecord(new VirtualTime(53 * ms), "rproc:cdsp0", "boot", TraceKind.End, TraceRecord.NoArgs));
        log.Instant(new VirtualTime(60 * ms), "rproc:adsp", "crash", new Dictionary<string, string> { ["kind"] = "watchdog", ["reason"] = "wdog bite \"x\"" });
        return log.Records;
    }

    private static string Render(TraceFormat format)
    {
        using var text = new StringWriter();
        TraceExport.Write(text, format, Scenario());
        return text.ToString();
    }

    [Fact]
    public void Chrome_json_parses_and_every_event_has_the_required_keys()
    {
        using var doc = JsonDocument.Parse(Render(TraceFormat.ChromeJson));
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToArray();
        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            foreach (var key in new[] { "name", "ph", "ts", "pid", "tid", "args" })
                Assert.True(e.TryGetProperty(key, out _), $"event {e} lacks '{key}'");
            if (e.GetProperty("ph").GetString() == "X")
                Assert.True(e.TryGetProperty("dur", out _));
        }
    }

    [Fact]
    public void Chrome_json_names_one_thread_per_track()
    {
        using var doc = JsonDocument.Parse(Render(TraceFormat.ChromeJson));
        var names = doc.RootElement.GetProperty("traceEvents").EnumerateArray()
            .Where(e => e.GetProperty("name").GetString() == "thread_name")
            .Select(e => (Tid: e.GetProperty("tid").GetInt32(), Name: e.GetProperty("args").GetProperty("name").GetString()))
            .ToArray();
        Assert.Equal(["rproc:adsp", "scm", "smmu", "rproc:cdsp0"], names.Select(n => n.Name));
        Assert.Equal(names.Length, names.Select(n => n.Tid).Distinct().Count());
    }

    [Fact]
    public void Chrome_json_timestamps_are_virtual_microseconds_and_never_decrease_per_track()
    {
        using var doc = JsonDocument.Parse(Render(TraceFormat.ChromeJson));
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray()
            .Where(e => e.GetProperty("ph").GetString() != "M").ToArray();
        Assert.Equal(1000.0, events.Single(e => e.GetProperty("name").GetString() == "PIL.PAS_INIT_IMAGE").GetProperty("ts").GetDouble());
        Assert.Equal(40.0, events.Single(e => e.GetProperty("name").GetString() == "PIL.PAS_INIT_IMAGE").GetProperty("dur").GetDouble());
        foreach (var track in events.GroupBy(e => e.GetProperty("tid").GetInt32()))
        {
            var ts = track.Select(e => e.GetProperty("ts").GetDouble()).ToArray();
            Assert.Equal(ts.Order(), ts);
        }
    }

    [Fact]
    public void Args_with_quotes_are_escaped_into_valid_json()
    {
        using var doc = JsonDocument.Parse(Render(TraceFormat.ChromeJson));
        var crash = doc.RootElement.GetProperty("traceEvents").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "crash");
        Assert.Equal("wdog bite \"x\"", crash.GetProperty("args").GetProperty("reason").GetString());
    }

    [Fact]
    public void Json_lines_holds_one_parseable_object_per_record()
    {
        var lines = Render(TraceFormat.JsonLines).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Scenario().Count, lines.Length);
        long last = -1;
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var t = doc.RootElement.GetProperty("time_ns").GetInt64();
            Assert.True(t >= last);
            last = t;
            Assert.True(doc.RootElement.TryGetProperty("track", out _));
            Assert.True(doc.RootElement.TryGetProperty("args", out _));
        }
    }

    [Fact]
    public void Ftrace_text_has_one_line_per_record_with_the_timestamp_and_event()
    {
        var lines = Render(TraceFormat.FtraceText).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(Scenario().Count, lines.Length);
        Assert.Contains("0.001000: PIL.PAS_INIT_IMAGE (dur=40us): pas_id=1 status=SUCCESS", lines[1]);
        Assert.StartsWith("rproc:adsp-1", lines[0].TrimStart());
    }

    [Theory]
    [InlineData("t.json", TraceFormat.ChromeJson)]
    [InlineData("t.TXT", TraceFormat.FtraceText)]
    [InlineData("dir/t.jsonl", TraceFormat.JsonLines)]
    [InlineData("trace.log", TraceFormat.FtraceText)]
    [InlineData("trace", TraceFormat.FtraceText)]
    public void The_extension_picks_the_format_and_anything_but_json_or_jsonl_is_text(string path, TraceFormat expected) =>
        Assert.Equal(expected, TraceExport.FormatFor(path));

    [Fact]
    public void A_record_earlier_than_the_last_is_a_producer_bug()
    {
        var log = new TraceLog();
        log.Instant(new VirtualTime(10), "scm", "a");
        Assert.Throws<ArgumentException>(() => log.Instant(new VirtualTime(5), "scm", "b"));
    }
}

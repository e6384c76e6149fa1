using Qtz.Soc;
using Qtz.Soc.Time;

namespace Qtz.Platform.Tracing;

/// <summary>How a record occupies time: a point, the start or end of a span, or a whole span.</summary>
public enum TraceKind
{
    Instant,
    Begin,
    End,
    Complete,
}

/// <summary>
/// One neutral trace record: when (virtual time), on which track ("scm", "rproc:adsp", "smmu"), what,
/// and its arguments. Writers turn a list of these into Perfetto JSON, ftrace-like text or JSON lines;
/// the board only has to produce records.
/// </summary>
public sealed record TraceRecord(
    VirtualTime Time,
    string Track,
    string Name,
    TraceKind Kind,
    IReadOnlyDictionary<string, string> Args)
{
    /// <summary>Length of a <see cref="TraceKind.Complete"/> span; zero otherwise.</summary>
    public TimeSpan Duration { get; init; }

    public static readonly IReadOnlyDictionary<string, string> NoArgs = new Dictionary<string, string>();

    public static TraceRecord Instant(VirtualTime time, string track, string name, IReadOnlyDictionary<string, string>? args = null) =>
        new(time, track, name, TraceKind.Instant, args ?? NoArgs);

    public static TraceRecord Complete(VirtualTime time, TimeSpan duration, string track, string name, IReadOnlyDictionary<string, string>? args = null) =>
        new(time, track, name, TraceKind.Complete, args ?? NoArgs) { Duration = duration };

    /// <summary>Microseconds since power-on, the unit of the trace-event format's ts and dur.</summary>
    public static double Microseconds(long nanoseconds) => nanoseconds / 1000.0;
}

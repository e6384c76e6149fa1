using System.Globalization;
using Qtz.Soc;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Platform.Boards;

/// <summary>What kind of thing a <see cref="BoardTraceEvent"/> records.</summary>
public enum BoardTraceKind
{
    Smc,
    Dsp,
    Remoteproc,
    Pas,
    SmmuMap,
    SmmuUnmap,
    SmmuFault,
    BusFault,
    Note,
}

/// <summary>One event of a boot: an SMC (kept whole for richer writers) or a board event with its text.</summary>
public sealed record BoardTraceEvent(VirtualTime Time, BoardTraceKind Kind, string Source, string Text, SmcTraceEvent? Smc = null)
{
    /// <summary>The ftrace-like line: SMCs in <see cref="SmcTraceEvent.ToString"/>'s form, board events alike.</summary>
    public override string ToString() => Smc is not null
        ? Smc.ToString()
        : string.Create(CultureInfo.InvariantCulture, $"{Time.Nanoseconds / 1e9,12:F6} {Source} {KindName(Kind)} {Text}");

    private static string KindName(BoardTraceKind kind) => kind switch
    {
        BoardTraceKind.SmmuMap => "smmu-map",
        BoardTraceKind.SmmuUnmap => "smmu-unmap",
        BoardTraceKind.SmmuFault => "smmu-fault",
        BoardTraceKind.BusFault => "bus-fault",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// The board's event list, in the order things happened. Issue 7 adds JSON and Perfetto writers over
/// the same list; the text writer is the ftrace-like form. A trace with a capacity keeps only the most
/// recent events (long soak runs); reports and the shell expect the whole trace, the default.
/// </summary>
public sealed class BoardTrace(int? capacity = null)
{
    private readonly List<BoardTraceEvent> _events = [];
    private readonly Lock _gate = new();
    private int _oldest;
    private long _dropped;

    /// <summary>Events the capacity made the trace forget.</summary>
    public long Dropped
    {
        get { lock (_gate) return _dropped; }
    }

    public IReadOnlyList<BoardTraceEvent> Events
    {
        get
        {
            lock (_gate) return [.. _events.Skip(_oldest), .. _events.Take(_oldest)];
        }
    }

    public void Add(BoardTraceEvent e)
    {
        lock (_gate)
        {
            if (capacity is not { } max || _events.Count < max)
            {
                _events.Add(e);
                return;
            }

            _events[_oldest] = e;
            _oldest = (_oldest + 1) % max;
            _dropped++;
        }
    }

    public void Add(VirtualTime time, BoardTraceKind kind, string source, string text) => Add(new BoardTraceEvent(time, kind, source, text));

    public IEnumerable<BoardTraceEvent> OfKind(BoardTraceKind kind) => Events.Where(e => e.Kind == kind);

    public void WriteText(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("# qtz boot trace: time(s) source kind details");
        foreach (var e in Events) output.WriteLine(e.ToString());
    }
}

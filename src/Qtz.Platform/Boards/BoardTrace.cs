using System.Globalization;
using Qtz.Soc;

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
/// the same list; the text writer is the ftrace-like form.
/// </summary>
public sealed class BoardTrace
{
    private readonly List<BoardTraceEvent> _events = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<BoardTraceEvent> Events
    {
        get { lock (_gate) return [.. _events]; }
    }

    public void Add(BoardTraceEvent e)
    {
        lock (_gate) _events.Add(e);
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

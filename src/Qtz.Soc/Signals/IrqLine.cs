namespace Qtz.Soc.Signals;

/// <summary>
/// A named interrupt line (e.g. "adsp:wdog"). Level-triggered like the q6v5 lines: handlers run on the
/// rising edge; the level stays up until the source lowers it. Handlers run synchronously on the
/// thread that raised the line, at the current virtual instant.
/// </summary>
public sealed class IrqLine(string name)
{
    private int _level;
    private long _raiseCount;

    public string Name { get; } = name;

    public bool IsAsserted => Volatile.Read(ref _level) != 0;

    public long RaiseCount => Interlocked.Read(ref _raiseCount);

    /// <summary>Runs on every low→high transition.</summary>
    public event Action<IrqLine>? Raised;

    public event Action<IrqLine>? Lowered;

    public void Raise()
    {
        if (Interlocked.Exchange(ref _level, 1) != 0) return;
        Interlocked.Increment(ref _raiseCount);
        Raised?.Invoke(this);
    }

    public void Lower()
    {
        if (Interlocked.Exchange(ref _level, 0) == 0) return;
        Lowered?.Invoke(this);
    }

    public override string ToString() => $"{Name}={(IsAsserted ? 1 : 0)}";
}

/// <summary>Every interrupt line of the board, by name; lines are created on first use.</summary>
public sealed class InterruptController
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IrqLine> _lines = new(StringComparer.Ordinal);

    public IrqLine Line(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            if (!_lines.TryGetValue(name, out var line))
                _lines[name] = line = new IrqLine(name);
            return line;
        }
    }

    public IReadOnlyList<IrqLine> Lines
    {
        get { lock (_gate) return [.. _lines.Values.OrderBy(l => l.Name, StringComparer.Ordinal)]; }
    }
}

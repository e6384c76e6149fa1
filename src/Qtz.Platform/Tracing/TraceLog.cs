using Qtz.Soc;
using Qtz.Soc.Time;

namespace Qtz.Platform.Tracing;

/// <summary>
/// An append-only list of records in the order things happened. Records are kept in time order
/// (a record stamped earlier than the last one is an error in the producer, not something to sort away).
/// </summary>
public sealed class TraceLog
{
    private readonly List<TraceRecord> _records = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<TraceRecord> Records
    {
        get { lock (_lock) return [.. _records]; }
    }

    public void Add(TraceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            if (_records.Count > 0 && record.Time < _records[^1].Time)
                throw new ArgumentException($"trace record '{record.Name}' at {record.Time} is earlier than the last one at {_records[^1].Time}: producers must stamp records in virtual-time order", nameof(record));
            _records.Add(record);
        }
    }

    public void Instant(VirtualTime time, string track, string name, IReadOnlyDictionary<string, string>? args = null) =>
        Add(TraceRecord.Instant(time, track, name, args));
}

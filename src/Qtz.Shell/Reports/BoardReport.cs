using Qtz.Platform.Tracing;
using Qtz.Soc;
using Qtz.Soc.Time;

namespace Qtz.Shell.Reports;

/// <summary>
/// Everything the HTML report shows, with no reference to the board's objects: the memory map, the
/// SMMU mappings per stream, the timeline (trace records: state transitions, SCM calls …) and the
/// final state of every remote processor.
/// </summary>
public sealed record BoardReport(
    string Title,
    IReadOnlyList<MemoryRegion> Regions,
    IReadOnlyList<SmmuMappingInfo> Mappings,
    IReadOnlyList<TraceRecord> Timeline,
    IReadOnlyList<RemoteprocStatus> FinalState)
{
    /// <summary>Board facts shown under the title (DTB, mode, EL2 design, firmware directory).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Facts { get; init; } = [];

    /// <summary>Virtual time when the report was taken.</summary>
    public VirtualTime TakenAt { get; init; }
}

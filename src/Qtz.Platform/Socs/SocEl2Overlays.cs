using Qtz.DeviceTree;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Platform.Socs;

/// <summary>Node kinds an EL2 overlay disables (spec/socs.md §3.3), matched on the tree rather than by path.</summary>
public enum El2Disable
{
    /// <summary>The GPU's <c>zap-shader</c> child: every overlay (at EL2 Linux takes the GPU out of secure mode itself).</summary>
    ZapShader,

    /// <summary>The Iris video codec (compatible "…-iris").</summary>
    Iris,

    /// <summary>The Venus video codec (compatible "…-venus").</summary>
    Venus,

    /// <summary>The modem PAS remoteproc (compatible "…-mpss-pas").</summary>
    Modem,
}

/// <summary>
/// One SoC's mainline EL2 overlay as data (spec/socs.md §3.3): its name, the SoC names (the DT's own
/// compatible prefix, so QCS8300 nodes that fall back to SA8775P rows still find Monaco's overlay), the
/// <c>iommus</c> (SID, mask) per remoteproc from <see cref="SocStreams"/>, and what it disables.
/// </summary>
public sealed record El2OverlayRow(string Name, IReadOnlyList<string> Socs, IReadOnlyList<El2Disable> Disables, string Status)
{
    /// <summary>False for overlays that only cover PCIe/video (sc8280xp, sc7180): Linux at EL2 then faults the DSP streams.</summary>
    public bool CoversRemoteprocs { get; init; } = true;
}

/// <summary>
/// The EL2 overlays qtz applies in <c>--mode kvm</c> when the tree has no <c>iommus</c> on any remoteproc,
/// built from the rows below instead of from per-board paths (so one row serves every board of the SoC).
/// SA8775P keeps its shipped .dtbo (<see cref="ShippedOverlays"/>); this table has the rest.
/// </summary>
public static class SocEl2Overlays
{
    public static IReadOnlyList<El2OverlayRow> Rows { get; } =
    [
        new("lemans-el2", ["sa8775p", "qcs9100"], [El2Disable.ZapShader, El2Disable.Iris], "mainline"),
        new("monaco-el2", ["qcs8300"], [El2Disable.ZapShader, El2Disable.Iris], "mainline"),
        new("talos-el2", ["qcs615"], [El2Disable.ZapShader, El2Disable.Venus], "mainline"),
        // UNCONFIRMED choice: the remoteproc iommus are the posted addition (adsp 0x1000/0x80, cdsp 0x0c00/0);
        // the newest stored mainline file has none. qtz ships them so X1 laptops boot at EL2 (slbounce).
        new("x1-el2", ["x1e80100", "x1p42100"], [El2Disable.ZapShader, El2Disable.Iris], "mainline (+ posted remoteproc iommus, UNCONFIRMED)"),
        new("kodiak-el2", ["sc7280", "qcm6490", "qcs6490"], [El2Disable.ZapShader, El2Disable.Modem, El2Disable.Venus], "posted v10, merge UNCONFIRMED"),
        new("sc8280xp-el2", ["sc8280xp"], [El2Disable.ZapShader], "mainline (PCIe only)") { CoversRemoteprocs = false },
        new("sc7180-el2", ["sc7180"], [El2Disable.ZapShader], "mainline (venus non-TZ only)") { CoversRemoteprocs = false },
    ];

    /// <summary>The row for the SoC a node's own first compatible names, or null.</summary>
    public static El2OverlayRow? Find(string soc) => Rows.FirstOrDefault(r => r.Socs.Contains(soc, StringComparer.Ordinal));

    /// <summary>The streams the row gives <paramref name="processor"/> ("cdsp0" falls back to "cdsp" and back).</summary>
    public static DspStream? StreamOf(El2OverlayRow row, string processor)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(processor);
        if (!row.CoversRemoteprocs) return null;
        var streams = SocStreams.FromOverlays.Where(s => row.Socs.Contains(s.Soc, StringComparer.Ordinal)).SelectMany(s => s.Streams).ToList();
        var bare = processor.TrimEnd('0', '1', '2', '3');
        return streams.FirstOrDefault(s => s.Processor == processor)
            ?? streams.FirstOrDefault(s => s.Processor == bare)
            ?? streams.FirstOrDefault(s => s.Processor == bare + "0" && processor == bare);
    }

    /// <summary>
    /// Applies <paramref name="row"/> to <paramref name="tree"/>: <c>iommus = &lt;smmu SID mask&gt;</c> on each
    /// PAS node the row has a stream for, then its disables. Returns one line per change.
    /// </summary>
    public static IReadOnlyList<string> Apply(El2OverlayRow row, DtTree tree, IEnumerable<(DtNode Node, string Processor)> pasNodes, DtNode? smmu)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(pasNodes);
        var changes = new List<string>();
        if (smmu is not null && row.CoversRemoteprocs)
        {
            var phandle = smmu.Phandle ?? AssignPhandle(tree, smmu);
            foreach (var (node, processor) in pasNodes)
            {
                if (StreamOf(row, processor) is not { } s) continue;
                node.SetCells("iommus", phandle, s.StreamId, s.StreamMask);
                changes.Add($"{node.Path}: iommus = <{smmu.Name} 0x{s.StreamId:x} 0x{s.StreamMask:x}>");
            }
        }

        foreach (var node in tree.Root.DescendantsAndSelf().Where(n => n.IsEnabled).ToList())
        {
            if (!row.Disables.Any(d => Matches(d, node))) continue;
            node.SetString("status", "disabled");
            changes.Add($"{node.Path}: disabled");
        }

        return changes;
    }

    private static bool Matches(El2Disable kind, DtNode node)
    {
        var compatibles = node.GetStringList("compatible");
        return kind switch
        {
            El2Disable.ZapShader => node.BaseName == "zap-shader",
            El2Disable.Iris => compatibles.Any(c => c.EndsWith("-iris", StringComparison.Ordinal)),
            El2Disable.Venus => compatibles.Any(c => c.EndsWith("-venus", StringComparison.Ordinal)),
            El2Disable.Modem => compatibles.Any(c => c.EndsWith("-mpss-pas", StringComparison.Ordinal)),
            _ => false,
        };
    }

    private static uint AssignPhandle(DtTree tree, DtNode node)
    {
        var phandle = tree.MaxPhandle + 1;
        node.SetCells("phandle", phandle);
        return phandle;
    }
}

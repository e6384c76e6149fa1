using Qtz.Kernel.Remoteproc;

namespace Qtz.Platform.Socs;

/// <summary>How a node's compatible list met the table: the row, the SoC, and which compatible matched.</summary>
public sealed record PasMatch(PasData Data, SocDescription Soc, string MatchedCompatible);

/// <summary>
/// Every SoC the board knows, looked up by compatible the way Linux's of_match does: the node's compatibles
/// in order, the first one in the driver's match table wins (so <c>"qcom,qcm2290-adsp-pas",
/// "qcom,sm6115-adsp-pas"</c> resolves to SM6115's row). <see cref="Linux"/> is the whole of spec/pas-table.csv;
/// <see cref="With"/> adds a SoC (tests add a made-up one). Built once from static data: no parsing, no reflection.
/// </summary>
public sealed class SocCatalog
{
    private readonly Dictionary<string, PasMatch> _byCompatible = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fallbacks = new(StringComparer.Ordinal);

    private SocCatalog(IReadOnlyList<SocDescription> socs)
    {
        Socs = socs;
        foreach (var soc in socs)
        {
            foreach (var data in soc.Remoteprocs) _byCompatible[data.Compatible] = new PasMatch(data, soc, data.Compatible);
            foreach (var (compatible, via) in soc.Fallbacks) _fallbacks[compatible] = via;
        }
    }

    private static readonly Lazy<SocCatalog> LinuxCatalog = new(() =>
    {
        var streams = SocStreams.FromOverlays.ToDictionary(s => s.Soc, s => s.Streams);
        var socs = PasTable.Rows.GroupBy(r => SocOf(r.Compatible)).Select(g => new SocDescription(g.Key, [.. g])
        {
            Streams = streams.GetValueOrDefault(g.Key, []),
            Fallbacks = [.. PasTable.Fallbacks.Where(f => SocOf(f.ResolvesVia) == g.Key)],
        });
        var fallbackOnly = SocStreams.FromOverlays.Where(s => !PasTable.Rows.Any(r => SocOf(r.Compatible) == s.Soc))
            .Select(s => new SocDescription(s.Soc, []) { Streams = s.Streams });
        return new SocCatalog([.. socs, .. fallbackOnly]);
    });

    /// <summary>Linux's PAS driver table (86 compatibles, 11 fallbacks), with the overlays' default streams.</summary>
    public static SocCatalog Linux => LinuxCatalog.Value;

    public IReadOnlyList<SocDescription> Socs { get; }

    /// <summary>Every compatible the driver matches.</summary>
    public IEnumerable<string> Compatibles => _byCompatible.Keys;

    /// <summary>The fallback-only compatibles and what they resolve through.</summary>
    public IReadOnlyDictionary<string, string> Fallbacks => _fallbacks;

    /// <summary>This catalog plus <paramref name="soc"/> (its rows win over existing ones with the same compatible).</summary>
    public SocCatalog With(SocDescription soc)
    {
        ArgumentNullException.ThrowIfNull(soc);
        return new SocCatalog([.. Socs.Where(s => s.Name != soc.Name), soc]);
    }

    /// <summary>The first of <paramref name="compatibles"/> in the match table, or null (Linux does not bind the node).</summary>
    public PasMatch? Resolve(IEnumerable<string> compatibles)
    {
        ArgumentNullException.ThrowIfNull(compatibles);
        foreach (var c in compatibles)
        {
            if (_byCompatible.TryGetValue(c, out var match)) return match with { MatchedCompatible = c };
        }

        return null;
    }

    public PasMatch? Resolve(string compatible) => Resolve([compatible]);

    /// <summary>A fallback-only compatible's partner, as spec/socs.md §1.4 has it; resolving it alone is what the table test checks.</summary>
    public PasMatch? ResolveWithFallback(string compatible) =>
        Resolve(compatible) ?? (_fallbacks.TryGetValue(compatible, out var via) ? Resolve(via) : null);

    public SocDescription? Soc(string name) => Socs.FirstOrDefault(s => s.Name == name);

    /// <summary>"qcom,sm8550-adsp-pas" → "sm8550".</summary>
    public static string SocOf(string compatible)
    {
        ArgumentNullException.ThrowIfNull(compatible);
        var s = compatible[(compatible.IndexOf(',', StringComparison.Ordinal) + 1)..];
        var dash = s.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? s[..dash] : s;
    }

    /// <summary>Looks like a remoteproc to a reader of the tree (for the "no PAS remoteproc" message and unknown-compatible checks).</summary>
    public static bool LooksLikeRemoteproc(string compatible) =>
        compatible.EndsWith("-pas", StringComparison.Ordinal) || compatible.EndsWith("-pil", StringComparison.Ordinal)
        || compatible.Contains("remoteproc", StringComparison.Ordinal) || compatible.Contains("-mss", StringComparison.Ordinal)
        || compatible.Contains("wcss", StringComparison.Ordinal);
}

namespace Qtz.Soc.SystemMmu;

internal enum RouteKind : byte
{
    Bypass,
    Translate,
    GlobalFault,
}

/// <summary>
/// Where a stream's transactions go, as SMR matching, S2CR and the context bank's registers decide.
/// Cached per stream ID and dropped whenever any of those registers is written, so the fast path
/// never re-runs stream matching.
/// </summary>
internal sealed class StreamRoute
{
    private StreamRoute(RouteKind kind, ContextBank? bank, uint globalFault, int privCfg)
    {
        Kind = kind;
        Bank = bank;
        Asid = bank?.Asid ?? 0;
        GlobalFault = globalFault;
        PrivCfg = privCfg;
    }

    public static StreamRoute Bypass { get; } = new(RouteKind.Bypass, null, 0, 0);

    public RouteKind Kind { get; }

    public ContextBank? Bank { get; }

    public ushort Asid { get; }

    /// <summary>The sGFSR bit recorded for a <see cref="RouteKind.GlobalFault"/> route.</summary>
    public uint GlobalFault { get; }

    /// <summary>S2CR.PRIVCFG: 2 forces unprivileged, 3 privileged; otherwise the device's own attribute.</summary>
    public int PrivCfg { get; }

    public bool Privileged(bool incoming) => PrivCfg switch
    {
        2 => false,
        3 => true,
        _ => incoming,
    };

    public static StreamRoute Translate(ContextBank bank, int privCfg) => new(RouteKind.Translate, bank, 0, privCfg);

    public static StreamRoute Fault(uint sgfsrBit) => new(RouteKind.GlobalFault, null, sgfsrBit, 0);
}

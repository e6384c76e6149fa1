namespace Qtz.DeviceTree.Bindings;

/// <summary>
/// The PAS bindings qtz has read itself (spec/scm-pas.md §9.2), used when the caller gives no SoC tables:
/// qcom,sa8775p-pas.yaml, which QCS8300 reuses through fallback compatibles. Every other SoC's binding
/// comes from the SoC tables (Qtz.Platform's SocBindings).
/// </summary>
public static class KnownPasBindings
{
    private static readonly Dictionary<string, string> Qcs8300Fallbacks = new(StringComparer.Ordinal)
    {
        ["qcom,qcs8300-adsp-pas"] = "qcom,sa8775p-adsp-pas",
        ["qcom,qcs8300-cdsp-pas"] = "qcom,sa8775p-cdsp0-pas",
        ["qcom,qcs8300-gpdsp-pas"] = "qcom,sa8775p-gpdsp0-pas",
    };

    private static readonly Dictionary<string, PasBinding> ByCompatible = new(StringComparer.Ordinal)
    {
        ["qcom,sa8775p-adsp-pas"] = Sa8775p(["lcx", "lmx"]),
        ["qcom,sa8775p-cdsp0-pas"] = Sa8775p(["cx", "mxc", "nsp"]),
        ["qcom,sa8775p-cdsp1-pas"] = Sa8775p(["cx", "mxc", "nsp"]),
        ["qcom,sa8775p-gpdsp0-pas"] = Sa8775p(["cx", "mxc"]),
        ["qcom,sa8775p-gpdsp1-pas"] = Sa8775p(["cx", "mxc"]),
    };

    private static PasBinding Sa8775p(string[] powerDomains) =>
        new("qcom,sa8775p-pas") { PowerDomains = powerDomains, MaxInterrupts = 5, Fallbacks = Qcs8300Fallbacks, XoOnlyClock = true, RequiresRegAndMemoryRegion = true, ExactPowerDomains = true };

    /// <summary>The binding for a node's compatibles (a QCS8300 compatible counts through its fallback), or null.</summary>
    public static PasBinding? For(IReadOnlyList<string> compatibles)
    {
        ArgumentNullException.ThrowIfNull(compatibles);
        foreach (var c in compatibles)
        {
            if (ByCompatible.TryGetValue(c, out var b)) return b;
            if (Qcs8300Fallbacks.TryGetValue(c, out var via)) return ByCompatible[via];
        }

        return null;
    }
}

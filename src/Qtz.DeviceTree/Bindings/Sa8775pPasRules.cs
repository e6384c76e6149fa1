namespace Qtz.DeviceTree;

/// <summary>qcom,sa8775p-pas.yaml (spec §9.2), which QCS8300 reuses through fallback compatibles.</summary>
internal static class Sa8775pPasRules
{
    /// <summary>SA8775p compatible → power-domain-names its binding requires.</summary>
    private static readonly Dictionary<string, string[]> PowerDomains = new(StringComparer.Ordinal)
    {
        ["qcom,sa8775p-adsp-pas"] = ["lcx", "lmx"],
        ["qcom,sa8775p-cdsp0-pas"] = ["cx", "mxc", "nsp"],
        ["qcom,sa8775p-cdsp1-pas"] = ["cx", "mxc", "nsp"],
        ["qcom,sa8775p-gpdsp0-pas"] = ["cx", "mxc"],
        ["qcom,sa8775p-gpdsp1-pas"] = ["cx", "mxc"],
    };

    /// <summary>QCS8300 compatible → the SA8775p fallback that must follow it.</summary>
    private static readonly Dictionary<string, string> Qcs8300Fallbacks = new(StringComparer.Ordinal)
    {
        ["qcom,qcs8300-adsp-pas"] = "qcom,sa8775p-adsp-pas",
        ["qcom,qcs8300-cdsp-pas"] = "qcom,sa8775p-cdsp0-pas",
        ["qcom,qcs8300-gpdsp-pas"] = "qcom,sa8775p-gpdsp0-pas",
    };

    public static bool Applies(IReadOnlyList<string> compatibles) =>
        compatibles.Any(c => PowerDomains.ContainsKey(c) || Qcs8300Fallbacks.ContainsKey(c));

    public static void Check(RuleContext c, IReadOnlyList<string> compatibles)
    {
        CheckCompatible(c, compatibles);
        foreach (var name in (string[])["reg", "memory-region"])
        {
            if (!c.Node.HasProperty(name)) c.Fail(BindingRules.Required, $"required property '{name}' is missing (qcom,sa8775p-pas)");
        }

        c.Run(BindingRules.Reg, () =>
        {
            var reg = c.Node.GetReg();
            if (c.Node.HasProperty("reg") && reg.Count != 1) c.Fail(BindingRules.Reg, $"'reg' has {reg.Count} entries, expected 1");
        });
        c.Run(BindingRules.Clocks, () =>
        {
            var names = c.Names("clock-names");
            if (c.Node.HasProperty("clock-names") && (names.Count != 1 || names[0] != "xo"))
                c.Fail(BindingRules.Clocks, $"'clock-names' is [{Quote(names)}], expected [\"xo\"]");
        });
        c.Run(BindingRules.MemoryRegion, () =>
        {
            var regions = c.Node.GetMemoryRegions();
            if (c.Node.HasProperty("memory-region") && regions.Count != 1)
                c.Fail(BindingRules.MemoryRegion, $"'memory-region' has {regions.Count} items, expected 1 (the firmware carveout)");
        });
        c.Run(BindingRules.FirmwareName, () =>
        {
            var names = c.Names("firmware-name");
            if (c.Node.HasProperty("firmware-name") && names.Count != 1)
                c.Fail(BindingRules.FirmwareName, $"'firmware-name' has {names.Count} items, expected 1");
        });
        c.Run(BindingRules.PowerDomains, () => CheckPowerDomains(c, compatibles));
    }

    private static void CheckCompatible(RuleContext c, IReadOnlyList<string> compatibles)
    {
        for (var i = 0; i < compatibles.Count; i++)
        {
            if (!Qcs8300Fallbacks.TryGetValue(compatibles[i], out var fallback)) continue;
            if (i + 1 >= compatibles.Count || compatibles[i + 1] != fallback)
                c.Fail(BindingRules.Compatible, $"\"{compatibles[i]}\" must be followed by the fallback \"{fallback}\"");
        }
    }

    private static void CheckPowerDomains(RuleContext c, IReadOnlyList<string> compatibles)
    {
        var soc = compatibles.FirstOrDefault(PowerDomains.ContainsKey);
        if (soc is null || !c.Node.HasProperty("power-domain-names")) return;
        var expected = PowerDomains[soc];
        var names = c.Names("power-domain-names");
        if (!names.SequenceEqual(expected, StringComparer.Ordinal))
            c.Fail(BindingRules.PowerDomains, $"'power-domain-names' is [{Quote(names)}], expected [{Quote(expected)}] for {soc}");
        if (c.Node.HasProperty("power-domains"))
        {
            var cells = c.Node.GetPhandleList("power-domains", "#power-domain-cells", missingCellsIsZero: true);
            if (cells.Count != names.Count)
                c.Fail(BindingRules.PowerDomains, $"{cells.Count} 'power-domains' but {names.Count} 'power-domain-names'");
        }
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}

namespace Qtz.DeviceTree.Bindings;

/// <summary>A SoC's PAS binding (<see cref="PasBinding"/>, data from the SoC tables) applied to one node.</summary>
internal static class SocPasRules
{
    public static void Check(RuleContext c, IReadOnlyList<string> compatibles, PasBinding binding)
    {
        CheckCompatible(c, compatibles, binding);
        // memory-region is what the driver cannot probe without; like dt-schema, a disabled node is not held to it.
        string[] required = binding.RequiresRegAndMemoryRegion ? ["reg", "memory-region"] : c.Node.IsEnabled ? ["memory-region"] : [];
        foreach (var name in required)
        {
            if (!c.Node.HasProperty(name)) c.Fail(BindingRules.Required, $"required property '{name}' is missing ({binding.Name})");
        }

        if (binding.XoOnlyClock)
        {
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
        }

        c.Run(BindingRules.MemoryRegion, () =>
        {
            if (!c.Node.HasProperty("memory-region")) return;
            var count = c.Node.GetMemoryRegions().Count;
            if (count < binding.MinMemoryRegions || count > binding.MaxMemoryRegions)
                c.Fail(BindingRules.MemoryRegion, $"'memory-region' has {count} items, expected {Range(binding.MinMemoryRegions, binding.MaxMemoryRegions)} ({binding.Name}: {Regions(binding)})");
        });
        c.Run(BindingRules.FirmwareName, () =>
        {
            var names = c.Names("firmware-name");
            if (c.Node.HasProperty("firmware-name") && names.Count != binding.FirmwareNames)
                c.Fail(BindingRules.FirmwareName, $"'firmware-name' has {names.Count} items, expected {binding.FirmwareNames}{(binding.FirmwareNames == 2 ? " (the main image, then the DTB image)" : "")}");
        });
        c.Run(BindingRules.PowerDomains, () => CheckPowerDomains(c, binding));
    }

    private static string Range(int min, int max) => min == max ? $"{min}" : $"{min} to {max}";

    private static string Regions(PasBinding b) =>
        b.MaxMemoryRegions switch
        {
            1 => "the firmware carveout",
            _ when b.FirmwareNames == 2 && b.MaxMemoryRegions == 2 => "the firmware carveout, the DTB image's carveout",
            _ when b.FirmwareNames == 2 => "the firmware carveout, the DTB image's carveout, the shareable regions",
            _ => "the firmware carveout, the shareable regions",
        };

    private static void CheckCompatible(RuleContext c, IReadOnlyList<string> compatibles, PasBinding binding)
    {
        for (var i = 0; i < compatibles.Count; i++)
        {
            if (!binding.Fallbacks.TryGetValue(compatibles[i], out var fallback)) continue;
            if (i + 1 >= compatibles.Count || compatibles[i + 1] != fallback)
                c.Fail(BindingRules.Compatible, $"\"{compatibles[i]}\" must be followed by the fallback \"{fallback}\"");
        }
    }

    private static void CheckPowerDomains(RuleContext c, PasBinding binding)
    {
        if (binding.PowerDomains.Count == 0 || !c.Node.HasProperty("power-domain-names")) return;
        var names = c.Names("power-domain-names");
        if (binding.ExactPowerDomains && !names.SequenceEqual(binding.PowerDomains, StringComparer.Ordinal))
            c.Fail(BindingRules.PowerDomains, $"'power-domain-names' is [{Quote(names)}], expected [{Quote(binding.PowerDomains)}] ({binding.Name})");
        var missing = binding.PowerDomains.Where(p => !names.Contains(p, StringComparer.Ordinal)).ToList();
        if (!binding.ExactPowerDomains && missing.Count > 0)
            c.Fail(BindingRules.PowerDomains, $"'power-domain-names' is [{Quote(names)}] but lacks [{Quote(missing)}], the proxy domains the driver attaches by name ({binding.Name})");
        if (c.Node.HasProperty("power-domains"))
        {
            var cells = c.Node.GetPhandleList("power-domains", "#power-domain-cells", missingCellsIsZero: true);
            if (cells.Count != names.Count)
                c.Fail(BindingRules.PowerDomains, $"{cells.Count} 'power-domains' but {names.Count} 'power-domain-names'");
        }
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}

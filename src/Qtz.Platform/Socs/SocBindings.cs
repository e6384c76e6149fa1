using Qtz.DeviceTree;
using Qtz.DeviceTree.Bindings;

namespace Qtz.Platform.Socs;

/// <summary>
/// Each SoC's PAS binding as data, derived from its PAS rows the way the bindings are written: memory-region
/// = the carveout, the DTB image's carveout when there is a dtb_pas_id, then the shareable regions
/// (region_assign, 1 to its count); firmware-name = 1 or 2 (with a DTB image); power-domain-names include the proxy
/// power domains (the driver attaches them by name); at most 6 interrupts (5 where the binding says so). Bindings qtz has read itself
/// (<see cref="KnownPasBindings"/>) win.
/// </summary>
public static class SocBindings
{
    /// <summary>SoCs whose binding allows only 5 interrupts (no shutdown-ack).</summary>
    private static readonly HashSet<string> FiveInterrupts = new(StringComparer.Ordinal) { "sa8775p" };

    /// <summary>The binding of a node's compatibles, or null when the table does not bind it.</summary>
    public static Func<IReadOnlyList<string>, PasBinding?> For(SocCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return compatibles => KnownPasBindings.For(compatibles) ?? Derive(catalog.Resolve(compatibles));
    }

    private static PasBinding? Derive(PasMatch? match)
    {
        if (match is null) return null;
        var data = match.Data;
        var dtb = data.DtbPasId is null ? 0 : 1;
        var assign = data.RegionAssign?.Count ?? 0;
        return new PasBinding($"qcom,{match.Soc.Name}-pas")
        {
            MinMemoryRegions = 1 + dtb + (assign > 0 ? 1 : 0),
            MaxMemoryRegions = 1 + dtb + assign,
            FirmwareNames = 1 + dtb,
            PowerDomains = data.ProxyPowerDomains,
            MaxInterrupts = FiveInterrupts.Contains(match.Soc.Name) ? 5 : 6,
        };
    }
}

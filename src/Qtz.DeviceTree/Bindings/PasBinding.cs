namespace Qtz.DeviceTree.Bindings;

/// <summary>
/// What one SoC's PAS binding (qcom,&lt;soc&gt;-pas.yaml) asks of a node beyond qcom,pas-common: how many
/// memory-regions (main, DTB image, the shareable ones) and firmware-names, which power domains in which
/// order (empty: not checked), how many interrupts at most, and which compatibles must be followed by a fallback.
/// The SoC tables supply these as data; <see cref="PasBindingChecker"/> only applies them.
/// </summary>
public sealed record PasBinding(string Name)
{
    public int MinMemoryRegions { get; init; } = 1;

    public int MaxMemoryRegions { get; init; } = 1;

    /// <summary>Exact firmware-name count when the property is present (1, or 2 with a DTB image).</summary>
    public int FirmwareNames { get; init; } = 1;

    public IReadOnlyList<string> PowerDomains { get; init; } = [];

    public int MaxInterrupts { get; init; } = 6;

    /// <summary>Compatible → the fallback that must follow it in the list.</summary>
    public IReadOnlyDictionary<string, string> Fallbacks { get; init; } = new Dictionary<string, string>();

    /// <summary>reg and memory-region are required (newer bindings).</summary>
    public bool RequiresRegAndMemoryRegion { get; init; }

    /// <summary>power-domain-names must be exactly <see cref="PowerDomains"/> (else: must contain them, any order).</summary>
    public bool ExactPowerDomains { get; init; }

    /// <summary>One reg entry and clock-names exactly ["xo"] (bindings without the aggre2 clock).</summary>
    public bool XoOnlyClock { get; init; }
}

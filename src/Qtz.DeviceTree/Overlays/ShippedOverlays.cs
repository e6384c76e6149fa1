namespace Qtz.DeviceTree;

/// <summary>
/// The overlays qtz ships, embedded in this assembly: the SA8775p EL2 overlay (iommus for the five
/// DSPs, spec §9.4) and the 2024 seed-style <c>qcom,devmem</c> overlay. Both use path references,
/// so they apply to the kernel's sa8775p-ride.dtb as shipped.
/// </summary>
public static class ShippedOverlays
{
    public const string Sa8775pEl2Name = "sa8775p-el2";

    public const string Sa8775pDevmemName = "sa8775p-devmem";

    /// <summary>Names accepted by <see cref="Load"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [Sa8775pEl2Name, Sa8775pDevmemName];

    /// <summary>iommus for adsp, cdsp0, cdsp1, gpdsp0, gpdsp1 on apps_smmu (Linux owns EL2).</summary>
    public static DtTree Sa8775pEl2 => Load(Sa8775pEl2Name);

    /// <summary>qcom,devmem tables for the five SA8775p DSPs (ADSP from the seed; others chosen by qtz).</summary>
    public static DtTree Sa8775pDevmem => Load(Sa8775pDevmemName);

    /// <summary>A fresh tree of the named shipped overlay (callers may change it).</summary>
    public static DtTree Load(string name) => DtTree.Parse(Blob(name));

    /// <summary>The built <c>.dtbo</c> bytes.</summary>
    public static byte[] Blob(string name) => Resource(name, ".dtbo");

    /// <summary>The <c>.dtso</c> source text it was built from.</summary>
    public static string Source(string name) => System.Text.Encoding.UTF8.GetString(Resource(name, ".dtso"));

    private static byte[] Resource(string name, string extension)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Names.Contains(name, StringComparer.Ordinal))
            throw new DtNotFoundException($"no shipped overlay '{name}' (known: {string.Join(", ", Names)})");
        using var stream = typeof(ShippedOverlays).Assembly.GetManifestResourceStream($"Qtz.DeviceTree.Overlays.{name}{extension}")
            ?? throw new InvalidOperationException($"embedded overlay resource {name}{extension} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Overlays;

/// <summary>What a shipped overlay does to its SoC's tree.</summary>
public enum ShippedOverlayKind
{
    /// <summary>Adds <c>iommus</c> to the DSPs (Linux owns EL2; the merged GET_RSCTABLE design).</summary>
    El2,

    /// <summary>Adds 2024 seed-style <c>qcom,devmem</c> tables.</summary>
    Devmem,
}

/// <summary>
/// The overlays qtz ships, embedded in this assembly, keyed by SoC: a SoC's EL2 overlay (iommus for its
/// DSPs, spec/socs.md §3.3) and its seed-style <c>qcom,devmem</c> overlay. They use path references, so they
/// apply to the kernel's DTBs as shipped. Adding one is a row here plus its .dtso/.dtbo resources.
/// </summary>
public static class ShippedOverlays
{
    /// <summary>SoC, kind, overlay name (= resource name).</summary>
    public static IReadOnlyList<(string Soc, ShippedOverlayKind Kind, string Name)> Table { get; } =
    [
        ("sa8775p", ShippedOverlayKind.El2, "sa8775p-el2"),
        ("sa8775p", ShippedOverlayKind.Devmem, "sa8775p-devmem"),
    ];

    /// <summary>Names accepted by <see cref="Load"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(t => t.Name)];

    /// <summary>The shipped overlay of <paramref name="kind"/> for <paramref name="soc"/>, or null when qtz ships none.</summary>
    public static string? Find(string soc, ShippedOverlayKind kind) =>
        Table.Where(t => t.Soc == soc && t.Kind == kind).Select(t => t.Name).FirstOrDefault();

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

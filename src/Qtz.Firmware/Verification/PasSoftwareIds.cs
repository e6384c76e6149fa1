namespace Qtz.Firmware.Verification;

/// <summary>The SW_ID TrustZone expects for each PAS id (scm-pas.md / firmware-formats.md §4.2).</summary>
public static class PasSoftwareIds
{
    private static readonly Dictionary<uint, (uint SoftwareId, string Peripheral)> Table = new()
    {
        [1] = (0x04, "ADSP"),
        [4] = (0x02, "MPSS modem"),
        [6] = (0x0D, "WPSS/WCNSS"),
        [9] = (0x0E, "venus/iris video"),
        [12] = (0x18, "SLPI"),
        [13] = (0x14, "GPU zap"),
        [18] = (0x17, "CDSP"),
        [30] = (0x44, "CDSP1"),
        [39] = (0x58, "GPDSP0"),
        [40] = (0x5A, "GPDSP1"),
    };

    public static IReadOnlyCollection<uint> KnownPasIds => Table.Keys;

    public static bool TryGet(uint pasId, out uint softwareId, out string peripheral)
    {
        var found = Table.TryGetValue(pasId, out var entry);
        (softwareId, peripheral) = entry;
        peripheral ??= "";
        return found;
    }

    public static uint ExpectedFor(uint pasId) => TryGet(pasId, out var id, out _)
        ? id
        : throw new ArgumentException($"PAS id {pasId} has no known SW_ID; known PAS ids: {string.Join(", ", Table.Keys.Order())}", nameof(pasId));
}

using System.Globalization;

namespace Qtz.Firmware.Certificates;

/// <summary>
/// The bindings a v3/v5 attestation (leaf) certificate carries in OU attributes "NN HEXVALUE NAME"
/// (§2.6), e.g. "01 0000000000000017 SW_ID". Absent fields are null.
/// </summary>
public sealed record AttestationIdentity(ulong? SoftwareId, ulong? HardwareId, ulong? Debug, ulong? OemId, ulong? SoftwareSize, ulong? ModelId)
{
    public static AttestationIdentity FromLeaf(Certificate leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var fields = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var ou in leaf.Subject.OrganizationalUnits)
        {
            var parts = ou.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && ulong.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
                fields[parts[2]] = value;
        }

        ulong? Get(string name) => fields.TryGetValue(name, out var v) ? v : null;
        return new AttestationIdentity(Get("SW_ID"), Get("HW_ID"), Get("DEBUG"), Get("OEM_ID"), Get("SW_SIZE"), Get("MODEL_ID"));
    }

    /// <summary>The OU strings a test-signed v3/v5 leaf carries.</summary>
    public static IEnumerable<string> OrganizationalUnitsFor(ulong softwareId, ulong hardwareId, uint signedLength) =>
    [
        $"01 {softwareId:X16} SW_ID",
        $"02 {hardwareId:X16} HW_ID",
        "03 0000000000000002 DEBUG",
        "04 0000 OEM_ID",
        $"05 {signedLength:X8} SW_SIZE",
        "06 0000 MODEL_ID",
        "07 0001 SHA256",
    ];
}

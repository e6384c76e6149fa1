using System.Globalization;

namespace Qtz.Firmware.Verification;

/// <summary>
/// Names of SW_ID values (the firmware type an image is signed for), as they appear in the OU "01 … SW_ID"
/// field of official v3/v5 certificates and in v6/v7 metadata; the list qtestsign publishes
/// (msm8916-mainline/qtestsign, qtestsign.py), which matches every real image checked here.
/// </summary>
public static class SoftwareIds
{
    private static readonly Dictionary<uint, string> Names = new()
    {
        [0x00] = "sbl1",
        [0x01] = "mba",
        [0x02] = "modem",
        [0x03] = "prog",
        [0x04] = "adsp",
        [0x05] = "devcfg",
        [0x07] = "tz",
        [0x09] = "aboot/uefi",
        [0x0A] = "rpm",
        [0x0C] = "tz-app",
        [0x0D] = "wcnss",
        [0x0E] = "venus",
        [0x12] = "wlanmdsp",
        [0x14] = "gpu",
        [0x15] = "hyp",
        [0x17] = "cdsp",
        [0x18] = "slpi",
        [0x1C] = "abl",
        [0x1D] = "ipa",
        [0x1F] = "cmnlib",
        [0x20] = "shrm",
        [0x21] = "aop",
        [0x22] = "multi-image",
        [0x23] = "multi-image-qti",
        [0x24] = "qup",
        [0x25] = "xbl-config",
        [0x31] = "cpucp",
        [0x3D] = "aop-devcfg",
        [0x42] = "xbl-ramdump",
        [0x44] = "cdsp1",
        [0x51] = "modem-dtb",
        [0x52] = "cdsp-dtb",
        [0x53] = "adsp-dtb",
        [0x58] = "gpdsp0",
        [0x5A] = "gpdsp1",
        [0x69] = "av1",
        [0x71] = "kernel",
    };

    /// <summary>The firmware type for <paramref name="softwareId"/>, or null when it has no known name.</summary>
    public static string? NameOf(uint softwareId) => Names.GetValueOrDefault(softwareId);

    /// <summary>"0x17 (cdsp)", or "0x99" when the value has no known name.</summary>
    public static string Describe(uint softwareId) =>
        NameOf(softwareId) is { } name ? $"0x{softwareId:X} ({name})" : "0x" + softwareId.ToString("X", CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace Qtz.Soc.Nor;

/// <summary>
/// The serial-NOR parts qtz knows by JEDEC ID. The default is the Winbond W25Q256JW on the Radxa
/// Dragon Q6A (manufacturer EFh, memory type 60h = 1.8 V JW family, capacity 19h = 256 Mbit).
/// Any other power-of-two size gets a generic part with the W25Q256JW's organisation and timings.
/// </summary>
public static class NorPartTable
{
    public static NorGeometry W25Q256JW { get; } = new("W25Q256JW", 0xEF, 0x6019, 32UL << 20);

    public static IReadOnlyList<NorGeometry> Parts { get; } =
    [
        new("W25Q64JW", 0xEF, 0x6017, 8UL << 20),
        new("W25Q128JW", 0xEF, 0x6018, 16UL << 20),
        W25Q256JW,
        new("W25Q512JV", 0xEF, 0x4020, 64UL << 20),
        new("W25Q01JV", 0xEF, 0x4021, 128UL << 20),
    ];

    public static NorGeometry Default => W25Q256JW;

    /// <summary>The known part of this size, else a generic part of that size.</summary>
    public static NorGeometry ForSize(ulong sizeInBytes) =>
        Parts.FirstOrDefault(p => p.SizeInBytes == sizeInBytes)
        ?? new NorGeometry("generic-spi-nor-" + SizeText(sizeInBytes), 0xEF, 0x4000, sizeInBytes);

    public static NorGeometry? Find(string partName) =>
        Parts.FirstOrDefault(p => string.Equals(p.PartName, partName, StringComparison.OrdinalIgnoreCase));

    private static string SizeText(ulong size) => size >= 1UL << 20
        ? (size >> 20).ToString(CultureInfo.InvariantCulture) + "MiB"
        : (size >> 10).ToString(CultureInfo.InvariantCulture) + "KiB";
}

using System.Globalization;

namespace Qtz.Shell.Reports;

/// <summary>Sizes as people write them: binary units, exact multiples only.</summary>
public static class ByteSize
{
    /// <summary>The units a size is written in, smallest first.</summary>
    public static readonly IReadOnlyList<(string Suffix, ulong Factor)> Units =
        [("KiB", 1UL << 10), ("MiB", 1UL << 20), ("GiB", 1UL << 30)];

    /// <summary>4096 → "4 KiB", 0x2000000 → "32 MiB", odd sizes in bytes.</summary>
    public static string Format(ulong bytes)
    {
        foreach (var (suffix, factor) in Units.Reverse())
        {
            if (bytes >= factor && bytes % factor == 0)
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + " " + suffix;
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + " B";
    }
}

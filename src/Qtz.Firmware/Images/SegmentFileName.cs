using System.Globalization;

namespace Qtz.Firmware.Images;

/// <summary>Linux's split-file naming: the last three characters of the firmware name become "bNN".</summary>
public static class SegmentFileName
{
    public static string For(string firmwareName, int segmentIndex)
    {
        ArgumentNullException.ThrowIfNull(firmwareName);
        if (firmwareName.Length < 4)
            throw new ArgumentException($"firmware name '{firmwareName}' is too short to derive segment file names (needs at least 4 characters)", nameof(firmwareName));
        return string.Concat(firmwareName.AsSpan(0, firmwareName.Length - 3), "b", segmentIndex.ToString("00", CultureInfo.InvariantCulture));
    }
}

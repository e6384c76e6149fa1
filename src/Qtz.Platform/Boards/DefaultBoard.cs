namespace Qtz.Platform.Boards;

/// <summary>The board qtz builds when given no DTB: a copy of Linux's tree for it, embedded in this assembly.</summary>
public static class DefaultBoard
{
    /// <summary>The embedded DTB's file name (a copy of Linux's, BSD-3-Clause/GPL-2.0); the resource is named after it.</summary>
    public const string DtbFileName = "sa8775p-ride.dtb";

    /// <summary>How outputs name it.</summary>
    public const string DisplayName = DtbFileName + " (embedded)";

    /// <summary>The default board's DTB bytes.</summary>
    public static byte[] Dtb()
    {
        using var stream = typeof(DefaultBoard).Assembly.GetManifestResourceStream("Qtz.Platform.Boards." + DtbFileName)
            ?? throw new InvalidOperationException($"the embedded {DtbFileName} resource is missing from Qtz.Platform");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

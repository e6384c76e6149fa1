using Qtz.Platform.Boards;

namespace Qtz.Bench;

/// <summary>How to run <c>qtz bench</c>.</summary>
public sealed record BenchOptions
{
    /// <summary>The qtz executable and the arguments that precede a command (the dll when run through dotnet).</summary>
    public required (string FileName, IReadOnlyList<string> Prefix) Qtz { get; init; }

    /// <summary>Firmware image size (each of the v6 and v5 images) and flash image size (rounded up to a power of two).</summary>
    public ulong SizeBytes { get; init; } = 64UL << 20;

    /// <summary>PT_LOAD segments of the generated firmware images (two hashing threads need several to balance).</summary>
    public int FirmwareSegments { get; init; } = 8;

    /// <summary>How many device-tree blobs the dump comparison prints.</summary>
    public int DtbCount { get; init; } = 40;

    /// <summary>Timed runs per command (after one untimed warm-up); figures are their median.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>One untimed run of every command before the timed ones (page cache, disk, dynamic loader).</summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>Pages mapped one call each for the IOMMU map/unmap rates, and the cold-walk working set (well above the TLB's 4,096 page entries).</summary>
    public int IommuPages { get; init; } = 16384;

    /// <summary>Least wall time one timed IOMMU translate loop runs for (it repeats passes until then).</summary>
    public TimeSpan IommuMinimumLoop { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Boot comparison: a /lib/firmware-like directory; null: the default board's generated images, exported to files.</summary>
    public string? BootFirmwareDirectory { get; init; }

    /// <summary>Boot comparison: the board's DTB; null: the embedded default board (<see cref="DefaultBoard"/>).</summary>
    public string? BootDtb { get; init; }

    public string? WorkDirectory { get; init; }

    /// <summary>Measures the Linux-in-the-loop rows (boots QEMU); null: those rows say why they were skipped.</summary>
    public Func<GuestFigures>? Guest { get; init; }

    public Action<double>? Progress { get; init; }

    /// <summary>Small inputs, one timed run each and no warm-up: seconds, for smoke tests (the figures mean little).</summary>
    public static BenchOptions Quick((string FileName, IReadOnlyList<string> Prefix) qtz) =>
        new() { Qtz = qtz, SizeBytes = 4UL << 20, DtbCount = 4, Runs = 1, WarmUp = false, IommuPages = 8192, IommuMinimumLoop = TimeSpan.FromMilliseconds(20) };
}

namespace Qtz.Soc.Addressing;

/// <summary>
/// The 4 KiB page: the granule of sparse RAM, of the LPAE tables both worlds write (stage 1 and the
/// hypervisor's), of protection and carveout rules, and Linux's PAGE_SIZE on the kernels modelled.
/// </summary>
public static class Paging
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;

    /// <summary>The offset-in-page bits.</summary>
    public const ulong OffsetMask = PageSize - 1;

    public static bool IsAligned(ulong value) => (value & OffsetMask) == 0;

    public static ulong AlignDown(ulong value) => value & ~OffsetMask;

    /// <summary>Rounds up to a page boundary; the caller makes sure <paramref name="value"/> is at most 2^64 − 4 KiB.</summary>
    public static ulong AlignUp(ulong value) => (value + OffsetMask) & ~OffsetMask;
}

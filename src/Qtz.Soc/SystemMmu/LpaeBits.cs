namespace Qtz.Soc.SystemMmu;

/// <summary>
/// The ARM VMSAv8-64 long-descriptor (LPAE) bits that both sides need: the SMMU's walker reads them,
/// the kernel's io-pgtable writes them (spec/iommu.md §A1 descriptor table).
/// </summary>
public static class LpaeBits
{
    public const ulong TypeMask = 3;
    public const ulong TypeBlock = 1;
    public const ulong TypeTableOrPage = 3;
    public const int AttrIndexShift = 2;
    public const ulong ApUnprivileged = 1UL << 6;
    public const ulong ApReadOnly = 1UL << 7;
    public const int ShareabilityShift = 8;
    public const ulong AccessFlag = 1UL << 10;
    public const ulong NotGlobal = 1UL << 11;
    public const ulong Pxn = 1UL << 53;
    public const ulong Uxn = 1UL << 54;
    public const ulong PxnTable = 1UL << 59;
    public const ulong XnTable = 1UL << 60;
    public const ulong ApTableNoUnprivileged = 1UL << 61;
    public const ulong ApTableReadOnly = 1UL << 62;

    /// <summary>Output address bits [47:12] of a 4 KiB-granule descriptor.</summary>
    public const ulong OutputAddressMask = 0x0000_FFFF_FFFF_F000UL;

    /// <summary>Bit position of the lowest input-address bit a leaf at <paramref name="level"/> covers (4 KiB granule).</summary>
    public static int LeafShift(int level) => 12 + 9 * (3 - level);
}

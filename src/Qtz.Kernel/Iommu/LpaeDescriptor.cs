namespace Qtz.Kernel.Iommu;

/// <summary>
/// Stage-1 LPAE descriptors exactly as io-pgtable-arm writes them (spec/iommu.md §A1 descriptor table).
/// </summary>
internal static class LpaeDescriptor
{
    public const ulong TypeBlock = 1;
    public const ulong TypeTableOrPage = 3;
    public const ulong AttrIndexCache = 1UL << 2;
    public const ulong AttrIndexDevice = 2UL << 2;
    public const ulong ApUnprivileged = 1UL << 6;
    public const ulong ApReadOnly = 1UL << 7;
    public const ulong ShareableOuter = 2UL << 8;
    public const ulong ShareableInner = 3UL << 8;
    public const ulong AccessFlag = 1UL << 10;
    public const ulong NotGlobal = 1UL << 11;
    public const ulong ExecuteNever = 3UL << 53;
    public const ulong SoftwareSync = 1UL << 55;
    public const ulong AddressMask = 0x0000_FFFF_FFFF_F000UL;

    /// <summary>The attribute bits for <paramref name="prot"/> (everything but type and address).</summary>
    public static ulong Attributes(IommuProt prot)
    {
        var pte = NotGlobal | AccessFlag;
        if ((prot & IommuProt.Write) == 0 && (prot & IommuProt.Read) != 0) pte |= ApReadOnly;
        if ((prot & IommuProt.Priv) == 0) pte |= ApUnprivileged;
        if ((prot & IommuProt.Mmio) != 0) pte |= AttrIndexDevice;
        else if ((prot & IommuProt.Cache) != 0) pte |= AttrIndexCache;
        pte |= (prot & IommuProt.Cache) != 0 ? ShareableInner : ShareableOuter;
        if ((prot & IommuProt.NoExec) != 0) pte |= ExecuteNever;
        return pte;
    }

    public static ulong Leaf(ulong pa, int level, ulong attributes) => pa | attributes | (level == 3 ? TypeTableOrPage : TypeBlock);

    public static ulong Table(ulong pa, bool coherentWalk) => pa | TypeTableOrPage | (coherentWalk ? 0 : SoftwareSync);

    public static bool IsTable(ulong pte, int level) => level < 3 && (pte & 3) == TypeTableOrPage;

    public static ulong OutputAddress(ulong pte) => pte & AddressMask;

    public static int LeafShift(int level) => 12 + 9 * (3 - level);
}

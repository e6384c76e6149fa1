using Qtz.DeviceTree.Properties;
using Qtz.Soc.SystemMmu;

using static Qtz.Soc.SystemMmu.LpaeBits;

namespace Qtz.Kernel.Iommu;

/// <summary>
/// Stage-1 LPAE descriptors exactly as io-pgtable-arm writes them (spec/iommu.md §A1 descriptor table).
/// </summary>
internal static class LpaeDescriptor
{
    /// <summary>MAIR index 1 (Normal write-back) and 2 (Device-nGnRE); index 0 is Normal non-cacheable.</summary>
    public const ulong AttrIndexCache = 1UL << AttrIndexShift;
    public const ulong AttrIndexDevice = 2UL << AttrIndexShift;
    public const ulong ShareableOuter = 2UL << ShareabilityShift;
    public const ulong ShareableInner = 3UL << ShareabilityShift;
    public const ulong ExecuteNever = Pxn | Uxn;

    /// <summary>Software bit 55: a table entry already cleaned for a non-coherent walker.</summary>
    public const ulong SoftwareSync = 1UL << 55;

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

    public static bool IsTable(ulong pte, int level) => level < 3 && (pte & TypeMask) == TypeTableOrPage;

    public static ulong OutputAddress(ulong pte) => pte & OutputAddressMask;

    public static int LeafShift(int level) => global::Qtz.Soc.SystemMmu.LpaeBits.LeafShift(level);
}

using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Properties;

/// <summary>One (address, size) pair of a <c>reg</c> property, decoded with the parent's cell counts.</summary>
public readonly record struct RegEntry(ulong Address, ulong Size)
{
    public ulong End => Address + Size;
}

/// <summary>One <c>ranges</c> entry: child bus address → parent bus address, for Size bytes.</summary>
public readonly record struct RangeEntry(ulong ChildAddress, ulong ParentAddress, ulong Size);

/// <summary>
/// One item of a phandle-with-arguments list (<c>iommus</c>, <c>interrupts-extended</c>, <c>clocks</c>,
/// <c>qcom,smem-states</c>): the node referred to and its specifier cells.
/// </summary>
public sealed record PhandleReference(uint Phandle, DtNode Target, IReadOnlyList<uint> Args)
{
    public override string ToString() => $"<&{Target.Path}{string.Concat(Args.Select(a => $" 0x{a:x}"))}>";
}

/// <summary>IOMMU protection bits as Linux's iommu.h defines them (the 4th cell of a <c>qcom,devmem</c> row).</summary>
[Flags]
public enum IommuProt : uint
{
    None = 0,
    Read = 1,
    Write = 2,
    Cache = 4,
    NoExec = 8,
    Mmio = 16,
}

/// <summary>One row of the 2024 seed's <c>qcom,devmem</c>: device address, physical address, size, protection.</summary>
public readonly record struct DevmemEntry(uint DeviceAddress, uint PhysicalAddress, uint Size, IommuProt Protection)
{
    public ulong DeviceEnd => (ulong)DeviceAddress + Size;

    public ulong PhysicalEnd => (ulong)PhysicalAddress + Size;
}

/// <summary>A child of <c>/reserved-memory</c>: its node, its regions and whether the kernel may map it.</summary>
public sealed record ReservedRegion(DtNode Node, IReadOnlyList<RegEntry> Regions, bool NoMap)
{
    public string Name => Node.Name;
}

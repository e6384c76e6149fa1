namespace Qtz.Firmware.ResourceTables;

/// <summary>Resource entry types of include/linux/remoteproc.h.</summary>
public enum ResourceType : uint
{
    Carveout = 0,
    DevMem = 1,
    Trace = 2,
    VDev = 3,
}

/// <summary>
/// <c>struct fw_rsc_devmem</c>: a device-memory range the remote processor needs mapped in its IOMMU
/// domain: {u32 da, u32 pa, u32 len, u32 flags (IOMMU prot bits), u32 reserved, u8 name[32]}.
/// </summary>
public readonly record struct DevMemResource(uint DeviceAddress, uint PhysicalAddress, uint Length, uint Flags, uint Reserved, string Name)
{
    public const int Size = 5 * 4 + 32;
}

/// <summary><c>struct fw_rsc_carveout</c>: {u32 da, u32 pa, u32 len, u32 flags, u32 reserved, u8 name[32]}.</summary>
public readonly record struct CarveoutResource(uint DeviceAddress, uint PhysicalAddress, uint Length, uint Flags, uint Reserved, string Name)
{
    public const int Size = 5 * 4 + 32;
}

/// <summary><c>struct fw_rsc_trace</c>: {u32 da, u32 len, u32 reserved, u8 name[32]}.</summary>
public readonly record struct TraceResource(uint DeviceAddress, uint Length, uint Reserved, string Name)
{
    public const int Size = 3 * 4 + 32;
}

/// <summary>One entry of the table: its type and offset, and the decoded body for the types we use.</summary>
public readonly record struct ResourceEntry(ResourceType Type, uint Offset, DevMemResource? DevMem = null, CarveoutResource? Carveout = null, TraceResource? Trace = null);

namespace Qtz.Kernel.Mtd;

/// <summary>MTD_* device types (include/uapi/mtd/mtd-abi.h).</summary>
public enum MtdType : byte
{
    Absent = 0,
    Ram = 1,
    Rom = 2,
    NorFlash = 3,
    NandFlash = 4,
    DataFlash = 6,
    UbiVolume = 7,
    MlcNandFlash = 8,
}

/// <summary>MTD_* flags (mtd-abi.h).</summary>
[Flags]
public enum MtdFlags : uint
{
    /// <summary>No flags; also MTD_CAP_ROM.</summary>
    None = 0,
    Writeable = 0x400,
    BitWriteable = 0x800,
    NoErase = 0x1000,
    PowerupLock = 0x2000,
    CapRam = Writeable | BitWriteable | NoErase,
    CapNorFlash = Writeable | BitWriteable,
    CapNandFlash = Writeable,
}

public static class MtdTypeNames
{
    /// <summary>The sysfs <c>type</c> string.</summary>
    public static string SysfsName(this MtdType type) => type switch
    {
        MtdType.Absent => "absent",
        MtdType.Ram => "ram",
        MtdType.Rom => "rom",
        MtdType.NorFlash => "nor",
        MtdType.NandFlash => "nand",
        MtdType.DataFlash => "dataflash",
        MtdType.UbiVolume => "ubi",
        MtdType.MlcNandFlash => "mlc-nand",
        _ => "unknown",
    };
}

/// <summary>ecc_stats (ECCGETSTATS): all zero on NOR.</summary>
public record struct MtdEccStats(uint Corrected, uint Failed, uint BadBlocks, uint BbtBlocks);

/// <summary>One variable-size erase region (mtd_erase_region_info).</summary>
public readonly record struct MtdEraseRegion(ulong Offset, uint EraseSize, uint NumBlocks);

/// <summary>struct erase_info: what to erase; the driver reports where it failed.</summary>
public sealed class EraseInfo(ulong addr, ulong len)
{
    public const long FailAddrUnknown = -1;

    public ulong Addr { get; set; } = addr;

    public ulong Len { get; set; } = len;

    public long FailAddr { get; set; } = FailAddrUnknown;
}

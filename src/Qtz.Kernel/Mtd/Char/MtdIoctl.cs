using System.Buffers.Binary;

namespace Qtz.Kernel.Mtd.Char;

/// <summary>The mtdchar ioctl numbers (mtd-abi.h; spec/mtd.md §1.10).</summary>
public static class MtdIoctl
{
    public const uint MEMGETINFO = 0x80204D01;
    public const uint MEMERASE = 0x40084D02;
    public const uint MEMWRITEOOB = 0xC0104D03;
    public const uint MEMREADOOB = 0xC0104D04;
    public const uint MEMLOCK = 0x40084D05;
    public const uint MEMUNLOCK = 0x40084D06;
    public const uint MEMGETREGIONCOUNT = 0x80044D07;
    public const uint MEMGETREGIONINFO = 0xC0104D08;
    public const uint MEMGETOOBSEL = 0x80C84D0A;
    public const uint MEMGETBADBLOCK = 0x40084D0B;
    public const uint MEMSETBADBLOCK = 0x40084D0C;
    public const uint OTPSELECT = 0x80044D0D;
    public const uint OTPGETREGIONCOUNT = 0x40044D0E;
    public const uint OTPGETREGIONINFO = 0x400C4D0F;
    public const uint OTPLOCK = 0x800C4D10;
    public const uint ECCGETLAYOUT = 0x81484D11;
    public const uint ECCGETSTATS = 0x80104D12;
    public const uint MTDFILEMODE = 0x00004D13;
    public const uint MEMERASE64 = 0x40104D14;
    public const uint MEMWRITEOOB64 = 0xC0184D15;
    public const uint MEMREADOOB64 = 0xC0184D16;
    public const uint MEMISLOCKED = 0x80084D17;
    public const uint MEMWRITE = 0xC0304D18;
    public const uint OTPERASE = 0x400C4D19;
    public const uint MEMREAD = 0xC0404D1A;
    public const uint BLKRRPART = 0x0000125F;

    /// <summary>Ioctls refused with −EPERM on a descriptor opened read-only.</summary>
    public static bool IsDangerous(uint cmd) => cmd is MEMERASE or MEMERASE64 or MEMLOCK or MEMUNLOCK or MEMSETBADBLOCK
        or MEMWRITEOOB or MEMWRITEOOB64 or MEMWRITE or OTPLOCK or OTPERASE;

    public static bool IsKnown(uint cmd) => IsDangerous(cmd) || cmd is MEMGETINFO or MEMREADOOB or MEMGETREGIONCOUNT
        or MEMGETREGIONINFO or MEMGETOOBSEL or MEMGETBADBLOCK or OTPSELECT or OTPGETREGIONCOUNT or OTPGETREGIONINFO
        or ECCGETLAYOUT or ECCGETSTATS or MTDFILEMODE or MEMREADOOB64 or MEMISLOCKED or MEMREAD or BLKRRPART;
}

/// <summary>
/// struct mtd_info_user (32 bytes): type @0, flags @4, size @8 (u32: truncated above 4 GiB),
/// erasesize @12, writesize @16, oobsize @20, padding @24 (always 0).
/// </summary>
public readonly record struct MtdInfoUser(MtdType Type, uint Flags, uint Size, uint EraseSize, uint WriteSize, uint OobSize)
{
    public const int EncodedLength = 32;

    public static MtdInfoUser From(MtdInfo mtd)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        return new(mtd.Type, (uint)mtd.Flags, unchecked((uint)mtd.Size), mtd.EraseSize, mtd.WriteSize, mtd.OobSize);
    }

    public static MtdInfoUser Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < EncodedLength) throw new InvalidDataException($"mtd_info_user needs {EncodedLength} bytes, got {bytes.Length}");
        return new((MtdType)bytes[0], BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]));
    }

    public void WriteTo(Span<byte> bytes)
    {
        bytes[..EncodedLength].Clear();
        bytes[0] = (byte)Type;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], Size);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[12..], EraseSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], WriteSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[20..], OobSize);
    }
}

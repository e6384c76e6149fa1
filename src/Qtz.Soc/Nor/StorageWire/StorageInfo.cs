using System.Buffers.Binary;
using System.Text;

namespace Qtz.Soc.Nor.StorageWire;

/// <summary>
/// struct qcom_scm_storage_info (105 bytes, packed, little-endian): total_blocks u64 @0,
/// block_size u32 @8, page_size u32 @12, num_physical u32 @16, manufacturer_id u64 @20,
/// serial_num u64 @28, fw_version char[32] @36, memory_type char[5] @68, product_name char[32] @73.
/// Strings are NUL-padded; a full field has no terminator.
/// </summary>
public readonly record struct StorageInfo(
    ulong TotalBlocks,
    uint BlockSize,
    uint PageSize,
    uint NumPhysical,
    ulong ManufacturerId,
    ulong SerialNum,
    string FwVersion,
    string MemoryType,
    string ProductName)
{
    public const int Size = 105;

    public static StorageInfo Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size) StorageWireError.Truncated("qcom_scm_storage_info", Size, bytes.Length);
        return new(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[20..]), BinaryPrimitives.ReadUInt64LittleEndian(bytes[28..]),
            Text(bytes.Slice(36, 32)), Text(bytes.Slice(68, 5)), Text(bytes.Slice(73, 32)));
    }

    public void WriteTo(Span<byte> bytes)
    {
        if (bytes.Length < Size) StorageWireError.Truncated("qcom_scm_storage_info", Size, bytes.Length);
        bytes[..Size].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, TotalBlocks);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], BlockSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[12..], PageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], NumPhysical);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[20..], ManufacturerId);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[28..], SerialNum);
        Encoding.ASCII.GetBytes(Clip(FwVersion, 32), bytes.Slice(36, 32));
        Encoding.ASCII.GetBytes(Clip(MemoryType, 5), bytes.Slice(68, 5));
        Encoding.ASCII.GetBytes(Clip(ProductName, 32), bytes.Slice(73, 32));
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }

    private static string Clip(string? s, int max) => s is null ? "" : s.Length <= max ? s : s[..max];
}

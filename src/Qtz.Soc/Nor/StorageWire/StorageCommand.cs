using System.Buffers.Binary;

namespace Qtz.Soc.Nor.StorageWire;

/// <summary>
/// struct qcom_scm_storage_cmd (40 bytes, packed, little-endian): storage_type @0, slot_num @8,
/// lun @16, guid_ptr @24, storage_cmd @32. Linux leaves slot, lun and guid at 0.
/// </summary>
public readonly record struct StorageCommand(StorageType StorageType, StorageCommandId CommandId, ulong SlotNum = 0, ulong Lun = 0, ulong GuidPtr = 0)
{
    public const int Size = 40;

    public static StorageCommand Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size) StorageWireError.Truncated("qcom_scm_storage_cmd", Size, bytes.Length);
        return new((StorageType)BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            (StorageCommandId)BinaryPrimitives.ReadUInt64LittleEndian(bytes[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
    }

    public void WriteTo(Span<byte> bytes)
    {
        if (bytes.Length < Size) StorageWireError.Truncated("qcom_scm_storage_cmd", Size, bytes.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)StorageType);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], SlotNum);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], Lun);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], GuidPtr);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[32..], (ulong)CommandId);
    }
}

/// <summary>
/// struct qcom_scm_storage_cmd_details (32 bytes): lba @0, length @8 (bytes), data_ptr @16,
/// data_size @24 (Linux never sets it).
/// </summary>
public readonly record struct StorageCommandDetails(ulong Lba, ulong Length, ulong DataPtr, ulong DataSize = 0)
{
    public const int Size = 32;

    public static StorageCommandDetails Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size) StorageWireError.Truncated("qcom_scm_storage_cmd_details", Size, bytes.Length);
        return new(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]), BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
    }

    public void WriteTo(Span<byte> bytes)
    {
        if (bytes.Length < Size) StorageWireError.Truncated("qcom_scm_storage_cmd_details", Size, bytes.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Lba);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], DataPtr);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], DataSize);
    }
}

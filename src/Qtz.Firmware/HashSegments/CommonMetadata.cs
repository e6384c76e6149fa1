using System.Buffers.Binary;

namespace Qtz.Firmware.HashSegments;

/// <summary>The 24-byte v7 common metadata that follows the 40-byte header.</summary>
public readonly record struct CommonMetadata(uint Major, uint Minor, uint SoftwareId, uint AppId, uint HashAlgorithm, uint MeasurementRegister)
{
    public const int Size = 24;
    public const uint Sha256 = 2;
    public const uint Sha384 = 3;

    public static CommonMetadata Parse(ReadOnlySpan<byte> d) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(d),
        BinaryPrimitives.ReadUInt32LittleEndian(d[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[12..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[16..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[20..]));

    public void WriteTo(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, Major);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], Minor);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], SoftwareId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], AppId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[16..], HashAlgorithm);
        BinaryPrimitives.WriteUInt32LittleEndian(d[20..], MeasurementRegister);
    }
}

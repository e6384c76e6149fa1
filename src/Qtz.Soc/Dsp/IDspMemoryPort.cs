namespace Qtz.Soc;

/// <summary>How a device's access went, as the SMMU and the bus report it.</summary>
public enum DeviceAccessStatus : byte
{
    Ok,
    TranslationFault,
    PermissionFault,
    StreamFault,
    BusError,
}

/// <summary>The outcome of one device access; <see cref="Detail"/> says what faulted and where.</summary>
public readonly record struct DeviceAccessResult(DeviceAccessStatus Status, string Detail = "")
{
    public static DeviceAccessResult Success => default;

    public bool IsOk => Status == DeviceAccessStatus.Ok;
}

/// <summary>A DSP's path to memory: its SMMU stream, then the bus. Reads fill the buffer; writes send it.</summary>
public interface IDspMemoryPort
{
    DeviceAccessResult Read(ushort streamId, Iova address, Span<byte> destination, AccessKind kind);

    DeviceAccessResult Write(ushort streamId, Iova address, ReadOnlySpan<byte> source);
}

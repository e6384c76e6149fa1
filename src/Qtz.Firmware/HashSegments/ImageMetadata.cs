using System.Buffers.Binary;

namespace Qtz.Firmware.HashSegments;

/// <summary>
/// A QTI or OEM metadata block: the 120-byte v6 layout or the 224-byte v7 "2.0" layout (§2.4), with the
/// fields both share under one name. SoftwareId is null for the 224-byte layout (v7 keeps it in the common metadata).
/// </summary>
public sealed record ImageMetadata(
    int Length,
    uint Major,
    uint Minor,
    uint? SoftwareId,
    uint HardwareId,
    uint OemId,
    uint ModelId,
    uint AppId,
    uint Flags,
    IReadOnlyList<uint> SocVersions,
    uint RootCertIndex,
    uint AntiRollbackVersion,
    ulong? FeatureId)
{
    public const int V6Length = 120;
    public const int V7Length = 224;

    public static ImageMetadata Parse(ReadOnlySpan<byte> d)
    {
        var bytes = d.ToArray();
        uint U(int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
        uint[] Soc(int at) => Enumerable.Range(0, 12).Select(i => U(at + (4 * i))).ToArray();
        return d.Length switch
        {
            V6Length => new ImageMetadata(V6Length, U(0), U(4), U(8), U(0x0C), U(0x10), U(0x14), U(0x18), U(0x1C), Soc(0x20), U(0x70), U(0x74), null),
            V7Length => new ImageMetadata(V7Length, U(0), U(4), null, U(0x44), U(0x88), U(0x8C), 0, U(0xDC), Soc(0x10), U(0x0C), U(0x08), U(0x40)),
            _ => FirmwareThrow.Format<ImageMetadata>($"metadata block is {d.Length} bytes; expected {V6Length} (v6) or {V7Length} (v7)"),
        };
    }

    /// <summary>A minimal block for test signing: identity fields set, every binding flag off.</summary>
    public static byte[] Create(int length, uint softwareId, uint hardwareId, uint oemId, uint modelId, uint antiRollback)
    {
        var d = new byte[length];
        void W(int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(at), v);
        if (length == V6Length)
        {
            W(8, softwareId);
            W(0x0C, hardwareId);
            W(0x10, oemId);
            W(0x14, modelId);
            W(0x74, antiRollback);
        }
        else
        {
            W(0, 2);
            W(0x08, antiRollback);
            W(0x44, hardwareId);
            W(0x88, oemId);
            W(0x8C, modelId);
            W(0xDC, 0x155555); // every 2-bit option "01" = false (coreboot's default)
        }

        return d;
    }
}

using System.Buffers.Binary;

namespace Qtz.Firmware.HashSegments;

/// <summary>
/// The MBN header at the start of a hash segment, v3/v5/v6/v7 (firmware-formats.md §2.1), normalised:
/// region sizes by signer, whatever offset each version keeps them at. v3's only signer is reported as OEM.
/// </summary>
public readonly record struct HashSegmentHeader(
    uint ImageId,
    int Version,
    int HeaderLength,
    uint TotalSize,
    uint HashSize,
    uint QtiMetadataSize,
    uint OemMetadataSize,
    uint QtiSignatureSize,
    uint QtiCertificateChainSize,
    uint OemSignatureSize,
    uint OemCertificateChainSize,
    uint DestinationAddress,
    CommonMetadata? Common)
{
    public const int V3Length = 40;
    public const int V5Length = 40;
    public const int V6Length = 48;
    public const int V7BaseLength = 40;

    /// <summary>Header + both metadata blocks + hash table: the bytes every signature covers.</summary>
    public ulong SignedLength => (ulong)HeaderLength + QtiMetadataSize + OemMetadataSize + HashSize;

    /// <summary>(QTI signature size field offset, QTI chain size offset, OEM signature offset, OEM chain offset).</summary>
    public (int QtiSig, int QtiCert, int OemSig, int OemCert) SizeFieldOffsets => Version == 7
        ? (0x18, 0x1C, 0x20, 0x24)
        : (0x08, 0x0C, 0x1C, 0x24);

    public static HashSegmentHeader Parse(ReadOnlySpan<byte> d)
    {
        if (d.Length < 8)
            FirmwareThrow.Format($"hash segment is {d.Length} bytes; its header needs at least 40");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(d[4..]);
        var length = version switch
        {
            3 => V3Length,
            5 => V5Length,
            6 => V6Length,
            7 => V7BaseLength + CommonMetadata.Size,
            _ => FirmwareThrow.Format<int>($"hash segment version at offset 4 is {version}; expected 3, 5, 6 or 7"),
        };
        if (d.Length < length)
            FirmwareThrow.Format($"hash segment is {d.Length} bytes; a v{version} header needs {length}");
        var bytes = d[..length].ToArray();
        uint U(int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
        return version switch
        {
            3 => new HashSegmentHeader(U(0), 3, length, U(0x10), U(0x14), 0, 0, 0, 0, U(0x1C), U(0x24), U(0x0C), null),
            5 => new HashSegmentHeader(U(0), 5, length, U(0x10), U(0x14), 0, 0, U(0x08), U(0x0C), U(0x1C), U(0x24), 0, null),
            6 => new HashSegmentHeader(U(0), 6, length, U(0x10), U(0x14), U(0x28), U(0x2C), U(0x08), U(0x0C), U(0x1C), U(0x24), 0, null),
            _ => ParseV7(bytes, U),
        };
    }

    private static HashSegmentHeader ParseV7(byte[] d, Func<int, uint> u)
    {
        if (u(0x08) != CommonMetadata.Size)
            FirmwareThrow.Format($"v7 hash segment: common_meta_size at offset 0x8 is {u(0x08)}; expected {CommonMetadata.Size}");
        var common = CommonMetadata.Parse(d.AsSpan(V7BaseLength, CommonMetadata.Size));
        return new HashSegmentHeader(u(0), 7, V7BaseLength + CommonMetadata.Size, 0, u(0x14), u(0x0C), u(0x10), u(0x18), u(0x1C), u(0x20), u(0x24), 0, common);
    }

    /// <summary>Serialises the header (v7: including common metadata) in the layout of <see cref="Version"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        var d = new byte[HeaderLength];
        void W(int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(at), v);
        W(0, ImageId);
        W(4, (uint)Version);
        switch (Version)
        {
            case 3:
                W(0x0C, DestinationAddress);
                W(0x10, TotalSize);
                W(0x14, HashSize);
                W(0x18, DestinationAddress + HashSize);
                W(0x1C, OemSignatureSize);
                W(0x20, DestinationAddress + HashSize + OemSignatureSize);
                W(0x24, OemCertificateChainSize);
                break;
            case 5 or 6:
                W(0x08, QtiSignatureSize);
                W(0x0C, QtiCertificateChainSize);
                W(0x10, TotalSize);
                W(0x14, HashSize);
                W(0x18, uint.MaxValue);
                W(0x1C, OemSignatureSize);
                W(0x20, uint.MaxValue);
                W(0x24, OemCertificateChainSize);
                if (Version == 6)
                {
                    W(0x28, QtiMetadataSize);
                    W(0x2C, OemMetadataSize);
                }

                break;
            default:
                W(0x08, CommonMetadata.Size);
                W(0x0C, QtiMetadataSize);
                W(0x10, OemMetadataSize);
                W(0x14, HashSize);
                W(0x18, QtiSignatureSize);
                W(0x1C, QtiCertificateChainSize);
                W(0x20, OemSignatureSize);
                W(0x24, OemCertificateChainSize);
                (Common ?? default).WriteTo(d.AsSpan(V7BaseLength, CommonMetadata.Size));
                break;
        }

        d.CopyTo(destination);
    }
}

using System.Buffers.Binary;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Fdt;

/// <summary>The FDT header (Devicetree Specification v0.4 §5.2), versions 16 and 17.</summary>
public readonly record struct FdtHeader(
    uint TotalSize,
    uint StructOffset,
    uint StringsOffset,
    uint ReserveMapOffset,
    uint Version,
    uint LastCompatibleVersion,
    uint BootCpuId,
    uint StringsSize,
    uint StructSize)
{
    public const uint Magic = 0xd00dfeed;

    /// <summary>Bytes of a v17 header; v16 lacks the final size_dt_struct word.</summary>
    public const int Size = 40;

    public const int SizeV16 = 36;

    public const uint CurrentVersion = 17;

    public const uint OldestReadableVersion = 16;

    public int HeaderSize => Version >= 17 ? Size : SizeV16;

    /// <summary>Reads and validates a header: every block must lie inside totalsize, which must fit the blob.</summary>
    public static FdtHeader Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 4) DtThrow.Format(0, $"blob is {blob.Length} bytes, too short for the FDT magic");
        var magic = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (magic != Magic) DtThrow.Format(0, $"bad magic 0x{magic:x8}, expected 0x{Magic:x8} (not a device tree blob)");
        if (blob.Length < SizeV16) DtThrow.Format(0, $"blob is {blob.Length} bytes, too short for an FDT header ({SizeV16}-{Size} bytes)");
        var h = new FdtHeader(
            Word(blob, 1), Word(blob, 2), Word(blob, 3), Word(blob, 4), Word(blob, 5), Word(blob, 6), Word(blob, 7), Word(blob, 8),
            0);
        if (h.Version < OldestReadableVersion)
            DtThrow.Format(20, $"FDT version {h.Version} is not supported (need {OldestReadableVersion} or later)");
        if (h.LastCompatibleVersion > CurrentVersion)
            DtThrow.Format(24, $"FDT last compatible version {h.LastCompatibleVersion} is newer than this reader ({CurrentVersion})");
        if (h.Version >= 17)
        {
            if (blob.Length < Size) DtThrow.Format(0, $"blob is {blob.Length} bytes, too short for a v17 FDT header ({Size} bytes)");
            h = h with { StructSize = Word(blob, 9) };
        }

        h.Validate(blob.Length);
        return h;
    }

    private void Validate(int blobLength)
    {
        if (TotalSize < HeaderSize) DtThrow.Format(4, $"totalsize {TotalSize} is smaller than the header ({HeaderSize} bytes)");
        if (TotalSize > (uint)blobLength)
            DtThrow.Format(4, $"truncated blob: header says totalsize {TotalSize} bytes but only {blobLength} are present");
        CheckBlock(16, "memory reservation map", ReserveMapOffset, 16, 8);
        CheckBlock(8, "structure block", StructOffset, Version >= 17 ? StructSize : 4, 4);
        CheckBlock(12, "strings block", StringsOffset, StringsSize, 1);
    }

    private void CheckBlock(long field, string name, uint offset, uint size, int alignment)
    {
        if (offset < HeaderSize) DtThrow.Format(field, $"{name} offset 0x{offset:x} overlaps the header");
        if (offset % alignment != 0) DtThrow.Format(field, $"{name} offset 0x{offset:x} is not {alignment}-byte aligned");
        if ((ulong)offset + size > TotalSize)
            DtThrow.Format(field, $"{name} [0x{offset:x}, +0x{size:x}) runs past totalsize 0x{TotalSize:x}");
    }

    public void WriteTo(Span<byte> destination)
    {
        uint[] words = [Magic, TotalSize, StructOffset, StringsOffset, ReserveMapOffset, Version, LastCompatibleVersion, BootCpuId, StringsSize, StructSize];
        for (var i = 0; i < words.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], words[i]);
    }

    private static uint Word(ReadOnlySpan<byte> blob, int index) => BinaryPrimitives.ReadUInt32BigEndian(blob[(index * 4)..]);
}

/// <summary>One <c>/memreserve/</c> entry of the memory reservation block.</summary>
public readonly record struct FdtReserveEntry(ulong Address, ulong Size);

/// <summary>Structure block tokens (§5.4.1).</summary>
internal enum FdtToken : uint
{
    BeginNode = 1,
    EndNode = 2,
    Prop = 3,
    Nop = 4,
    End = 9,
}

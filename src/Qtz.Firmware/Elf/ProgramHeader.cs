using System.Buffers.Binary;

namespace Qtz.Firmware.Elf;

/// <summary>One ELF program header, widened to 64-bit fields whatever the file class.</summary>
public readonly record struct ProgramHeader(
    uint Type,
    uint Flags,
    ulong Offset,
    ulong VirtualAddress,
    ulong PhysicalAddress,
    ulong FileSize,
    ulong MemorySize,
    ulong Align)
{
    /// <summary>The Qualcomm meaning of <see cref="Flags"/>.</summary>
    public QcomSegmentFlags Qcom => new(Flags);

    public bool IsLoad => Type == ProgramHeaderType.Load;

    /// <summary>p_offset + p_filesz, saturating instead of wrapping.</summary>
    public ulong FileEnd => Offset > ulong.MaxValue - FileSize ? ulong.MaxValue : Offset + FileSize;

    public static ProgramHeader Parse(ReadOnlySpan<byte> d, ElfClass elfClass) => elfClass == ElfClass.Elf32
        ? new ProgramHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(d),
            BinaryPrimitives.ReadUInt32LittleEndian(d[24..]),
            BinaryPrimitives.ReadUInt32LittleEndian(d[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(d[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(d[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(d[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(d[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(d[28..]))
        : new ProgramHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(d),
            BinaryPrimitives.ReadUInt32LittleEndian(d[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(d[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(d[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(d[24..]),
            BinaryPrimitives.ReadUInt64LittleEndian(d[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(d[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(d[48..]));

    public void WriteTo(Span<byte> d, ElfClass elfClass)
    {
        if (elfClass == ElfClass.Elf32)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d, Type);
            BinaryPrimitives.WriteUInt32LittleEndian(d[4..], checked((uint)Offset));
            BinaryPrimitives.WriteUInt32LittleEndian(d[8..], checked((uint)VirtualAddress));
            BinaryPrimitives.WriteUInt32LittleEndian(d[12..], checked((uint)PhysicalAddress));
            BinaryPrimitives.WriteUInt32LittleEndian(d[16..], checked((uint)FileSize));
            BinaryPrimitives.WriteUInt32LittleEndian(d[20..], checked((uint)MemorySize));
            BinaryPrimitives.WriteUInt32LittleEndian(d[24..], Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(d[28..], checked((uint)Align));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d, Type);
            BinaryPrimitives.WriteUInt32LittleEndian(d[4..], Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(d[8..], Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(d[16..], VirtualAddress);
            BinaryPrimitives.WriteUInt64LittleEndian(d[24..], PhysicalAddress);
            BinaryPrimitives.WriteUInt64LittleEndian(d[32..], FileSize);
            BinaryPrimitives.WriteUInt64LittleEndian(d[40..], MemorySize);
            BinaryPrimitives.WriteUInt64LittleEndian(d[48..], Align);
        }
    }
}

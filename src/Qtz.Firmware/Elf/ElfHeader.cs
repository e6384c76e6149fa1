using System.Buffers.Binary;

namespace Qtz.Firmware.Elf;

/// <summary>The ELF file header fields a Qualcomm image uses (ELF32 or ELF64, little-endian).</summary>
public readonly record struct ElfHeader(
    ElfClass Class,
    ushort Type,
    ushort Machine,
    ulong Entry,
    ulong PhOff,
    ulong ShOff,
    uint Flags,
    ushort EhSize,
    ushort PhEntSize,
    ushort PhNum,
    ushort ShEntSize,
    ushort ShNum)
{
    public const int Elf32Size = 52;
    public const int Elf64Size = 64;
    public const int Elf32PhEntSize = 32;
    public const int Elf64PhEntSize = 56;
    public const int Elf32ShEntSize = 40;
    public const int Elf64ShEntSize = 64;

    /// <summary>Size of this class's file header.</summary>
    public int HeaderSize => Class == ElfClass.Elf32 ? Elf32Size : Elf64Size;

    /// <summary>The program-header entry size this class requires.</summary>
    public int ExpectedPhEntSize => Class == ElfClass.Elf32 ? Elf32PhEntSize : Elf64PhEntSize;

    /// <summary>End of the program-header table (e_phoff + e_phnum·e_phentsize), overflow-safe.</summary>
    public ulong PhdrTableEnd => PhOff > ulong.MaxValue - ((ulong)PhNum * PhEntSize) ? ulong.MaxValue : PhOff + ((ulong)PhNum * PhEntSize);

    public static bool HasElfMagic(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data[0] == 0x7F && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F';

    /// <summary>Parses and sanity-checks the header; every failure names the offset and what was expected.</summary>
    public static ElfHeader Parse(ReadOnlySpan<byte> data)
    {
        if (!HasElfMagic(data))
            FirmwareThrow.Format("not an ELF file: offset 0 must hold the magic 7F 45 4C 46 (\"\\x7fELF\")");
        if (data.Length < 6)
            FirmwareThrow.Format($"ELF header truncated: {data.Length} bytes, e_ident needs 16");
        var cls = data[4];
        if (cls is not (1 or 2))
            FirmwareThrow.Format($"ELF e_ident[EI_CLASS] at offset 4 is {cls}; expected 1 (ELF32) or 2 (ELF64)");
        if (data[5] != 1)
            FirmwareThrow.Format($"ELF e_ident[EI_DATA] at offset 5 is {data[5]}; only 1 (little-endian) is supported");
        var elfClass = (ElfClass)cls;
        var size = elfClass == ElfClass.Elf32 ? Elf32Size : Elf64Size;
        if (data.Length < size)
            FirmwareThrow.Format($"ELF{(cls == 1 ? 32 : 64)} header truncated: {data.Length} bytes, expected {size}");

        var header = elfClass == ElfClass.Elf32 ? Parse32(data) : Parse64(data);
        if (header.PhEntSize != header.ExpectedPhEntSize)
            FirmwareThrow.Format($"ELF e_phentsize is {header.PhEntSize}; expected {header.ExpectedPhEntSize} for {elfClass}");
        return header;
    }

    private static ElfHeader Parse32(ReadOnlySpan<byte> d) => new(
        ElfClass.Elf32,
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x10..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x12..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[0x18..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[0x1C..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[0x20..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[0x24..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x28..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x2A..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x2C..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x2E..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x30..]));

    private static ElfHeader Parse64(ReadOnlySpan<byte> d) => new(
        ElfClass.Elf64,
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x10..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x12..]),
        BinaryPrimitives.ReadUInt64LittleEndian(d[0x18..]),
        BinaryPrimitives.ReadUInt64LittleEndian(d[0x20..]),
        BinaryPrimitives.ReadUInt64LittleEndian(d[0x28..]),
        BinaryPrimitives.ReadUInt32LittleEndian(d[0x30..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x34..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x36..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x38..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x3A..]),
        BinaryPrimitives.ReadUInt16LittleEndian(d[0x3C..]));

    /// <summary>Writes the fields this record holds into an existing header (e_ident already present).</summary>
    public void WriteTo(Span<byte> d)
    {
        d[4] = (byte)Class;
        d[5] = 1;
        if (Class == ElfClass.Elf32)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x10..], Type);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x12..], Machine);
            BinaryPrimitives.WriteUInt32LittleEndian(d[0x18..], checked((uint)Entry));
            BinaryPrimitives.WriteUInt32LittleEndian(d[0x1C..], checked((uint)PhOff));
            BinaryPrimitives.WriteUInt32LittleEndian(d[0x20..], checked((uint)ShOff));
            BinaryPrimitives.WriteUInt32LittleEndian(d[0x24..], Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x28..], EhSize);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x2A..], PhEntSize);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x2C..], PhNum);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x2E..], ShEntSize);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x30..], ShNum);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x10..], Type);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x12..], Machine);
            BinaryPrimitives.WriteUInt64LittleEndian(d[0x18..], Entry);
            BinaryPrimitives.WriteUInt64LittleEndian(d[0x20..], PhOff);
            BinaryPrimitives.WriteUInt64LittleEndian(d[0x28..], ShOff);
            BinaryPrimitives.WriteUInt32LittleEndian(d[0x30..], Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x34..], EhSize);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x36..], PhEntSize);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x38..], PhNum);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x3A..], ShEntSize);
            BinaryPrimitives.WriteUInt16LittleEndian(d[0x3C..], ShNum);
        }
    }
}

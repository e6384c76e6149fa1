using System.Buffers.Binary;
using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;
using Qtz.Firmware.ResourceTables;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// rproc_elf_load_rsc_table / find_table (remoteproc_elf_loader.c): the bytes of the firmware file's
/// <c>.resource_table</c> section, found through the section headers of the file Linux was handed (the
/// .mbn, or the .mdt of a split image). Linux's checks, each a reason the table is "not there": section
/// beyond the file, shorter than the 16-byte header, version other than 1, non-zero reserved words, or
/// an offset array that does not fit. Any of those, or no such section, gives null (Linux then sends
/// GET_RSCTABLE no table, and SCM an empty one).
/// </summary>
public static class RprocElfResourceTable
{
    public const string SectionName = ".resource_table";

    private const int MaxSectionNameLength = 64;

    /// <summary>The section's bytes, or null with <paramref name="reason"/> saying why there is none.</summary>
    public static byte[]? Find(FirmwareImage firmware, out string reason)
    {
        ArgumentNullException.ThrowIfNull(firmware);
        var file = firmware.Main;
        var header = firmware.Header;
        var elf32 = header.Class == ElfClass.Elf32;
        var entrySize = (ulong)(elf32 ? ElfHeader.Elf32ShEntSize : ElfHeader.Elf64ShEntSize);
        var length = (ulong)file.Length;
        if (header.ShNum == 0 || header.ShOff == 0) return None("the image has no section headers", out reason);
        if (header.ShEntSize != entrySize) return None($"section header entries are {header.ShEntSize} bytes, not {entrySize}", out reason);
        if (!Fits(header.ShOff, header.ShNum * entrySize, length)) return None($"the section header table (e_shoff 0x{header.ShOff:x}) lies beyond the {length}-byte file", out reason);

        var shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(file.ReadBytes(elf32 ? 50 : 62, 2));
        if (shstrndx >= header.ShNum) return None($"e_shstrndx {shstrndx} is not a section", out reason);
        var names = Section(file, header.ShOff + (shstrndx * entrySize), elf32);
        if (!Fits(names.Offset, names.Size, length)) return None("the section name table lies beyond the file", out reason);

        for (ulong i = 0; i < header.ShNum; i++)
        {
            var s = Section(file, header.ShOff + (i * entrySize), elf32);
            if (!IsNamed(file, names, s.NameOffset)) continue;
            if (!Fits(s.Offset, s.Size, length)) return None($"{SectionName} truncated (0x{s.Size:x} bytes at 0x{s.Offset:x} in a {length}-byte file)", out reason);
            if (s.Size < (ulong)ResourceTable.HeaderSize) return None($"header-less {SectionName} ({s.Size} bytes)", out reason);
            if (s.Size > int.MaxValue) return None($"{SectionName} of {s.Size} bytes is too large", out reason);
            var table = file.ReadBytes((long)s.Offset, (int)s.Size);
            var version = BinaryPrimitives.ReadUInt32LittleEndian(table);
            var count = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(4));
            if (version != 1) return None($"unsupported {SectionName} version {version}", out reason);
            if (BinaryPrimitives.ReadUInt64LittleEndian(table.AsSpan(8)) != 0) return None($"non-zero reserved bytes in {SectionName}", out reason);
            if (((ulong)count * 4) + (ulong)ResourceTable.HeaderSize > s.Size) return None($"{SectionName} incomplete: {count} offsets do not fit {s.Size} bytes", out reason);
            reason = $"{SectionName}: {s.Size} bytes, {count} entries";
            return table;
        }

        return None($"the image has no {SectionName} section", out reason);
    }

    private static byte[]? None(string why, out string reason)
    {
        reason = why;
        return null;
    }

    private static bool Fits(ulong offset, ulong size, ulong length) => offset <= length && size <= length - offset;

    private readonly record struct SectionHeader(uint NameOffset, ulong Offset, ulong Size);

    private static SectionHeader Section(ImageSource file, ulong at, bool elf32)
    {
        var raw = file.ReadBytes((long)at, elf32 ? ElfHeader.Elf32ShEntSize : ElfHeader.Elf64ShEntSize);
        return elf32
            ? new SectionHeader(BinaryPrimitives.ReadUInt32LittleEndian(raw), BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(16)), BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(20)))
            : new SectionHeader(BinaryPrimitives.ReadUInt32LittleEndian(raw), BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(24)), BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(32)));
    }

    private static bool IsNamed(ImageSource file, SectionHeader names, uint nameOffset)
    {
        if (nameOffset >= names.Size) return false;
        var available = (int)Math.Min((ulong)MaxSectionNameLength, names.Size - nameOffset);
        var name = file.ReadBytes((long)(names.Offset + nameOffset), available).AsSpan();
        var end = name.IndexOf((byte)0);
        return end >= 0 && name[..end].SequenceEqual(System.Text.Encoding.ASCII.GetBytes(SectionName));
    }
}

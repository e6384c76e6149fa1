namespace Qtz.Firmware.Elf.Core;

/// <summary>
/// Writes an ELF core file the way Linux remoteproc's default coredump does (rproc_coredump,
/// RPROC_COREDUMP_ENABLED): the ELF header, then one PT_LOAD program header per segment with
/// p_vaddr = p_paddr = the device address, p_filesz = p_memsz = the segment size, p_flags = RWX and
/// p_align = 0, then the segment bytes back to back in list order. No notes, no section headers.
/// </summary>
public static class CoreDumpWriter
{
    public const ushort ElfTypeCore = 4;
    private const byte ElfVersionCurrent = 1;
    private const uint PermissionsRwx = 4 | 2 | 1;

    /// <summary>Total file size of the dump for these segments (header + phdrs + data).</summary>
    public static ulong SizeOf(ElfClass elfClass, IReadOnlyList<CoreDumpSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var size = DataOffset(elfClass, segments.Count);
        foreach (var s in segments)
            size = checked(size + s.Size);
        return size;
    }

    /// <summary>Builds the whole core file in memory.</summary>
    public static byte[] Write(CoreDumpFormat format, IReadOnlyList<CoreDumpSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var total = SizeOf(format.Class, segments);
        if (total > int.MaxValue)
            throw new ArgumentException($"a core of 0x{total:x} bytes does not fit in memory; dump fewer segments", nameof(segments));
        var buffer = new byte[(int)total];
        using var stream = new MemoryStream(buffer);
        Write(stream, format, segments);
        return buffer;
    }

    /// <summary>Streams the core file: header and program headers first, then each segment's bytes.</summary>
    public static void Write(Stream output, CoreDumpFormat format, IReadOnlyList<CoreDumpSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(segments);
        if (format.Class is not (ElfClass.Elf32 or ElfClass.Elf64))
            throw new ArgumentException($"ELF class {format.Class} is not set: remoteproc refuses to dump without ELFCLASS32 or ELFCLASS64", nameof(format));
        if (segments.Count == 0)
            throw new ArgumentException("no dump segments: remoteproc writes no core when the segment list is empty", nameof(segments));
        if (segments.Count > ushort.MaxValue - 1)
            throw new ArgumentException($"{segments.Count} segments exceed e_phnum's range", nameof(segments));

        var limit = format.Class == ElfClass.Elf32 ? uint.MaxValue : ulong.MaxValue;
        if (format.Entry > limit)
            throw new ArgumentException($"boot address 0x{format.Entry:x} does not fit e_entry of {format.Class}", nameof(format));
        var headers = new byte[DataOffset(format.Class, segments.Count)];
        var header = new ElfHeader(
            format.Class, ElfTypeCore, format.Machine, format.Entry,
            PhOff: (ulong)HeaderSize(format.Class), ShOff: 0, Flags: 0,
            EhSize: (ushort)HeaderSize(format.Class), PhEntSize: (ushort)PhdrSize(format.Class), PhNum: (ushort)segments.Count,
            ShEntSize: 0, ShNum: 0);
        headers[0] = 0x7F;
        headers[1] = (byte)'E';
        headers[2] = (byte)'L';
        headers[3] = (byte)'F';
        headers[6] = ElfVersionCurrent;
        header.WriteTo(headers);
        headers[0x14] = ElfVersionCurrent; // e_version: same offset in both classes

        var offset = (ulong)headers.Length;
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            if (s.DeviceAddress > limit || s.Size > limit || offset > limit - s.Size)
                throw new ArgumentException($"dump segment {i} (da 0x{s.DeviceAddress:x}, 0x{s.Size:x} bytes at file offset 0x{offset:x}) does not fit {format.Class}", nameof(segments));
            var phdr = new ProgramHeader(ProgramHeaderType.Load, PermissionsRwx, offset, s.DeviceAddress, s.DeviceAddress, s.Size, s.Size, Align: 0);
            phdr.WriteTo(headers.AsSpan(HeaderSize(format.Class) + (i * PhdrSize(format.Class))), format.Class);
            offset += s.Size;
        }

        output.Write(headers);
        foreach (var s in segments)
            output.Write(s.Data.Span);
    }

    private static int HeaderSize(ElfClass c) => c == ElfClass.Elf32 ? ElfHeader.Elf32Size : ElfHeader.Elf64Size;

    private static int PhdrSize(ElfClass c) => c == ElfClass.Elf32 ? ElfHeader.Elf32PhEntSize : ElfHeader.Elf64PhEntSize;

    private static ulong DataOffset(ElfClass c, int count) => (ulong)HeaderSize(c) + ((ulong)count * (ulong)PhdrSize(c));
}

using System.Buffers.Binary;
using Qtz.Firmware.Elf;

namespace Qtz.Firmware.Tests.Support;

/// <summary>A small plain ELF32 as a linker writes it: a text LOAD from offset 0 (holding the headers), a PT_NOTE inside it, a data LOAD, a BSS LOAD.</summary>
public static class PlainElf
{
    public static byte[] Build(int seed = 7)
    {
        var phdrs = new[]
        {
            new ProgramHeader(ProgramHeaderType.Load, 5, 0, 0x4000_0000, 0x4000_0000, 0x1800, 0x1800, 0x1000),
            new ProgramHeader(ProgramHeaderType.Note, 4, 0x200, 0x4000_0200, 0x4000_0200, 0x24, 0x24, 4),
            new ProgramHeader(ProgramHeaderType.Load, 6, 0x2000, 0x4000_2000, 0x4000_2000, 0x333, 0x1000, 0x1000),
            new ProgramHeader(ProgramHeaderType.Load, 6, 0, 0x4000_3000, 0x4000_3000, 0, 0x800, 0x1000),
        };
        var bytes = new byte[0x2333];
        new Random(seed).NextBytes(bytes);
        "\u007fELF"u8.CopyTo(bytes);
        bytes[6] = 1;
        bytes.AsSpan(7, 9).Clear();
        new ElfHeader(ElfClass.Elf32, 2, 40, 0x4000_0000, 52, 0x2333 - 40, 0, 52, 32, (ushort)phdrs.Length, 40, 1).WriteTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x32), 0);
        for (var i = 0; i < phdrs.Length; i++)
            phdrs[i].WriteTo(bytes.AsSpan(52 + (32 * i)), ElfClass.Elf32);
        return bytes;
    }
}

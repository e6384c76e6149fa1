using System.Buffers.Binary;
using System.Text;

namespace Qtz.TestSupport;

/// <summary>
/// Gives an ELF image (ELF32 or ELF64, little-endian) section headers: a null section, .shstrtab and one
/// named section holding <c>content</c>, appended after the file's last byte. Program headers are untouched,
/// so the loadable image stays the same; sign afterwards when the ELF header must be hashed.
/// </summary>
public static class ElfSections
{
    public static byte[] AppendSection(byte[] elf, string name, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(elf);
        ArgumentNullException.ThrowIfNull(content);
        var elf32 = elf[4] == 1;
        var entrySize = elf32 ? 40 : 64;
        var names = Encoding.ASCII.GetBytes("\0.shstrtab\0" + name + "\0");
        var contentOffset = Align(elf.Length, 8);
        var namesOffset = Align(contentOffset + content.Length, 8);
        var tableOffset = Align(namesOffset + names.Length, 8);
        var result = new byte[tableOffset + (3 * entrySize)];
        elf.CopyTo(result, 0);
        content.CopyTo(result, contentOffset);
        names.CopyTo(result, namesOffset);
        WriteSection(result.AsSpan(tableOffset + entrySize), elf32, 1, 3, namesOffset, names.Length);
        WriteSection(result.AsSpan(tableOffset + (2 * entrySize)), elf32, 11, 1, contentOffset, content.Length);
        var h = result.AsSpan();
        if (elf32) BinaryPrimitives.WriteUInt32LittleEndian(h[32..], (uint)tableOffset);
        else BinaryPrimitives.WriteUInt64LittleEndian(h[40..], (ulong)tableOffset);
        var shFields = elf32 ? 46 : 58;
        BinaryPrimitives.WriteUInt16LittleEndian(h[shFields..], (ushort)entrySize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[(shFields + 2)..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(h[(shFields + 4)..], 1);
        return result;
    }

    private static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static void WriteSection(Span<byte> entry, bool elf32, uint nameOffset, uint type, int offset, int size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(entry, nameOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], type);
        if (elf32)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], (uint)offset);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[20..], (uint)size);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(entry[24..], (ulong)offset);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[32..], (ulong)size);
        }
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Fdt;

/// <summary>
/// Turns a blob into a <see cref="DtTree"/>. Every length and offset is checked in 64-bit against the
/// block it must stay in, so malformed input ends in an <see cref="FdtFormatException"/> naming the
/// offset, never in an out-of-range read or a hang.
/// </summary>
internal static class FdtReader
{
    /// <summary>Deeper nesting than this is treated as garbage: real trees are under 10 levels.</summary>
    public const int MaxDepth = 128;

    public static DtTree Read(ReadOnlySpan<byte> blob)
    {
        var header = FdtHeader.Parse(blob);
        var tree = new DtTree { BootCpuId = header.BootCpuId };
        ReadReserveMap(blob, header, tree.ReserveEntries);
        var structEnd = header.Version >= 17 ? (long)header.StructOffset + header.StructSize : header.TotalSize;
        var strings = blob.Slice((int)header.StringsOffset, (int)header.StringsSize);
        ReadStructure(blob[..(int)structEnd], (int)header.StructOffset, strings, header.StringsOffset, tree.Root);
        return tree;
    }

    private static void ReadReserveMap(ReadOnlySpan<byte> blob, FdtHeader header, List<FdtReserveEntry> entries)
    {
        for (long offset = header.ReserveMapOffset; ; offset += 16)
        {
            if (offset + 16 > header.TotalSize)
                DtThrow.Format(offset, "memory reservation map has no terminating (0, 0) entry before the end of the blob");
            var address = BinaryPrimitives.ReadUInt64BigEndian(blob[(int)offset..]);
            var size = BinaryPrimitives.ReadUInt64BigEndian(blob[((int)offset + 8)..]);
            if (address == 0 && size == 0) return;
            entries.Add(new FdtReserveEntry(address, size));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadStructure(ReadOnlySpan<byte> blob, int start, ReadOnlySpan<byte> strings, uint stringsOffset, DtNode root)
    {
        var names = new Dictionary<uint, string>();
        DtNode? current = null;
        var depth = 0;
        var rootSeen = false;
        var offset = start;
        while (true)
        {
            var token = (FdtToken)ReadWord(blob, offset, "token");
            var tokenOffset = offset;
            offset += 4;
            switch (token)
            {
                case FdtToken.Nop:
                    break;
                case FdtToken.BeginNode:
                {
                    var name = ReadCString(blob, offset, "node name");
                    offset = Align4(offset + name.Length + 1);
                    if (current is null)
                    {
                        if (rootSeen) DtThrow.Format(tokenOffset, "a second root node after the first one ended");
                        if (name.Length != 0) DtThrow.Format(tokenOffset, $"root node is named '{name}', expected an empty name");
                        current = root;
                        rootSeen = true;
                    }
                    else
                    {
                        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
                            DtThrow.Format(tokenOffset, $"node name '{name}' under {current.Path} is empty or contains '/'");
                        current = current.AddParsedChild(name);
                    }

                    if (++depth > MaxDepth) DtThrow.Format(tokenOffset, $"nodes nested deeper than {MaxDepth} levels");
                    break;
                }

                case FdtToken.EndNode:
                    if (current is null) DtThrow.Format(tokenOffset, "END_NODE token outside any node");
                    current = current.Parent;
                    depth--;
                    break;
                case FdtToken.Prop:
                {
                    if (current is null) DtThrow.Format(tokenOffset, "PROP token outside any node");
                    var length = ReadWord(blob, offset, "property length");
                    var nameOffset = ReadWord(blob, offset + 4, "property name offset");
                    var valueStart = (long)offset + 8;
                    if (valueStart + length > blob.Length)
                        DtThrow.Format(tokenOffset, $"property in {current.Path} claims {length} bytes, past the end of the structure block");
                    var name = PropertyName(strings, stringsOffset, nameOffset, names, tokenOffset);
                    current.AddParsedProperty(name, blob.Slice((int)valueStart, (int)length).ToArray());
                    offset = Align4((int)(valueStart + length));
                    break;
                }

                case FdtToken.End:
                    if (!rootSeen) DtThrow.Format(tokenOffset, "END token before any node");
                    if (current is not null) DtThrow.Format(tokenOffset, $"END token while {current.Path} is still open");
                    return;
                default:
                    DtThrow.Format(tokenOffset, $"unknown structure token 0x{(uint)token:x8} (expected BEGIN_NODE 1, END_NODE 2, PROP 3, NOP 4 or END 9)");
                    break;
            }
        }
    }

    private static string PropertyName(ReadOnlySpan<byte> strings, uint stringsOffset, uint nameOffset, Dictionary<uint, string> cache, int tokenOffset)
    {
        if (cache.TryGetValue(nameOffset, out var cached)) return cached;
        if (nameOffset >= strings.Length)
            DtThrow.Format(tokenOffset + 8, $"property name offset 0x{nameOffset:x} is outside the strings block (0x{strings.Length:x} bytes)");
        var rest = strings[(int)nameOffset..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0) DtThrow.Format(stringsOffset + nameOffset, "property name is not NUL-terminated inside the strings block");
        if (nul == 0) DtThrow.Format(stringsOffset + nameOffset, "property name is empty");
        var name = Encoding.Latin1.GetString(rest[..nul]);
        cache[nameOffset] = name;
        return name;
    }

    private static string ReadCString(ReadOnlySpan<byte> blob, int offset, string what)
    {
        if (offset >= blob.Length) DtThrow.Format(offset, $"{what} starts past the end of the structure block");
        var nul = blob[offset..].IndexOf((byte)0);
        if (nul < 0) DtThrow.Format(offset, $"{what} is not NUL-terminated inside the structure block");
        return Encoding.Latin1.GetString(blob.Slice(offset, nul));
    }

    private static uint ReadWord(ReadOnlySpan<byte> blob, int offset, string what)
    {
        if ((long)offset + 4 > blob.Length)
            DtThrow.Format(offset, $"structure block ends where a {what} was expected (no END token)");
        return BinaryPrimitives.ReadUInt32BigEndian(blob[offset..]);
    }

    private static int Align4(int offset) => (offset + 3) & ~3;
}

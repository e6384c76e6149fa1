using System.Buffers.Binary;
using System.Text;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Fdt;

/// <summary>
/// Writes a tree in dtc's layout: header, reservation map at 0x28, structure block, strings block,
/// no padding. Strings are shared the way dtc shares them (a name that is the tail of an earlier
/// one reuses its bytes), so parse → write of a dtc-made blob is byte-identical.
/// </summary>
internal static class FdtWriter
{
    public static byte[] Write(DtTree tree)
    {
        // Sized exactly up front: growing a large buffer by doubling churns the large-object heap.
        var structure = new ByteBuilder(StructureSize(tree.Root) + 4);
        var strings = new StringTable();
        WriteNode(tree.Root, structure, strings);
        structure.Word((uint)FdtToken.End);

        var reserveOffset = FdtHeader.Size;
        var structOffset = reserveOffset + (16 * (tree.ReserveEntries.Count + 1));
        var stringsOffset = structOffset + structure.Length;
        var total = stringsOffset + strings.Bytes.Length;
        var blob = new byte[total];
        new FdtHeader((uint)total, (uint)structOffset, (uint)stringsOffset, (uint)reserveOffset, FdtHeader.CurrentVersion,
            FdtHeader.OldestReadableVersion, tree.BootCpuId, (uint)strings.Bytes.Length, (uint)structure.Length).WriteTo(blob);
        var at = reserveOffset;
        foreach (var entry in tree.ReserveEntries)
        {
            BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(at), entry.Address);
            BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(at + 8), entry.Size);
            at += 16;
        }

        structure.Span.CopyTo(blob.AsSpan(structOffset));
        strings.Bytes.CopyTo(blob.AsSpan(stringsOffset));
        return blob;
    }

    private static int StructureSize(DtNode node)
    {
        var size = 4 + Align4(Encoding.Latin1.GetByteCount(node.Name) + 1) + 4;
        foreach (var p in node.Properties) size += 12 + Align4(p.Length);
        foreach (var child in node.Children) size += StructureSize(child);
        return size;
    }

    private static int Align4(int value) => (value + 3) & ~3;

    private static void WriteNode(DtNode node, ByteBuilder output, StringTable strings)
    {
        output.Word((uint)FdtToken.BeginNode);
        output.CString(node.Name);
        output.Align4();
        foreach (var p in node.Properties)
        {
            output.Word((uint)FdtToken.Prop);
            output.Word((uint)p.Length);
            output.Word(strings.Insert(p.Name));
            output.Bytes(p.Span);
            output.Align4();
        }

        foreach (var child in node.Children)
            WriteNode(child, output, strings);
        output.Word((uint)FdtToken.EndNode);
    }

    /// <summary>dtc's string table: a name is found at the first offset where it already occurs, even mid-string.</summary>
    private sealed class StringTable
    {
        private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal);
        private readonly ByteBuilder _bytes = new(4096);

        public ReadOnlySpan<byte> Bytes => _bytes.Span;

        public uint Insert(string name)
        {
            if (_offsets.TryGetValue(name, out var offset)) return offset;
            // Not seen as a whole name: it may still be the tail of an earlier one ("names" in "clock-names").
            var length = Encoding.Latin1.GetByteCount(name) + 1;
            var needle = length <= 256 ? stackalloc byte[length] : new byte[length];
            Encoding.Latin1.GetBytes(name, needle);
            needle[^1] = 0;
            var found = _bytes.Span.IndexOf(needle);
            if (found >= 0)
            {
                offset = (uint)found;
            }
            else
            {
                offset = (uint)_bytes.Length;
                _bytes.Bytes(needle);
            }

            _offsets[name] = offset;
            return offset;
        }
    }

    private sealed class ByteBuilder(int capacity)
    {
        private byte[] _buffer = new byte[capacity];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

        public void Word(uint value)
        {
            Ensure(4);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Length), value);
            Length += 4;
        }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            Ensure(value.Length);
            value.CopyTo(_buffer.AsSpan(Length));
            Length += value.Length;
        }

        public void CString(string value)
        {
            var count = Encoding.Latin1.GetByteCount(value);
            Ensure(count + 1);
            Encoding.Latin1.GetBytes(value, _buffer.AsSpan(Length));
            Length += count;
            _buffer[Length++] = 0;
        }

        public void Align4()
        {
            var padded = (Length + 3) & ~3;
            Ensure(padded - Length);
            _buffer.AsSpan(Length, padded - Length).Clear();
            Length = padded;
        }

        private void Ensure(int extra)
        {
            if (Length + extra <= _buffer.Length) return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + extra));
        }
    }
}

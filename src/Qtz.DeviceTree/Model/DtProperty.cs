using System.Buffers.Binary;
using System.Text;

namespace Qtz.DeviceTree.Model;

/// <summary>One property of a node: a name and raw big-endian bytes, with typed views.</summary>
public sealed class DtProperty
{
    private byte[] _value;

    internal DtProperty(DtNode owner, string name, byte[] value)
    {
        Owner = owner;
        Name = name;
        _value = value;
    }

    public string Name { get; }

    /// <summary>The node holding this property.</summary>
    public DtNode Owner { get; }

    /// <summary>The raw value bytes (big-endian cells, NUL-terminated strings).</summary>
    public ReadOnlyMemory<byte> Value => _value;

    public ReadOnlySpan<byte> Span => _value;

    public int Length => _value.Length;

    public bool IsEmpty => _value.Length == 0;

    /// <summary>The path and name a user would type to find this property.</summary>
    public string Location => Owner.Path + ":" + Name;

    internal byte[] RawBytes => _value;

    internal void Replace(byte[] value) => _value = value;

    /// <summary>The value as 32-bit cells; its length must be a multiple of 4.</summary>
    public uint[] AsCells()
    {
        if (_value.Length % 4 != 0)
            DtThrow.Value(Owner.Path, $"property '{Name}' is {_value.Length} bytes, expected a multiple of 4 (32-bit cells)");
        var cells = new uint[_value.Length / 4];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = BinaryPrimitives.ReadUInt32BigEndian(_value.AsSpan(i * 4));
        return cells;
    }

    public uint AsU32()
    {
        if (_value.Length != 4)
            DtThrow.Value(Owner.Path, $"property '{Name}' is {_value.Length} bytes, expected one 32-bit cell (4 bytes)");
        return BinaryPrimitives.ReadUInt32BigEndian(_value);
    }

    public ulong AsU64()
    {
        if (_value.Length == 4) return AsU32();
        if (_value.Length != 8)
            DtThrow.Value(Owner.Path, $"property '{Name}' is {_value.Length} bytes, expected a 64-bit value (8 bytes)");
        return BinaryPrimitives.ReadUInt64BigEndian(_value);
    }

    /// <summary>The first string of the value (it must be NUL-terminated).</summary>
    public string AsString()
    {
        var list = AsStringList();
        return list.Count == 0 ? "" : list[0];
    }

    /// <summary>The value as a list of NUL-terminated strings (<c>compatible</c>, <c>*-names</c>).</summary>
    public IReadOnlyList<string> AsStringList()
    {
        if (_value.Length == 0) return [];
        if (_value[^1] != 0)
            DtThrow.Value(Owner.Path, $"property '{Name}' is not a string list: its last byte is not NUL");
        var result = new List<string>();
        var start = 0;
        for (var i = 0; i < _value.Length; i++)
        {
            if (_value[i] != 0) continue;
            result.Add(Encoding.UTF8.GetString(_value, start, i - start));
            start = i + 1;
        }

        return result;
    }

    /// <summary>The value as rows of <paramref name="columns"/> cells (a uint32-matrix such as <c>qcom,devmem</c>).</summary>
    public uint[][] AsMatrix(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var cells = AsCells();
        if (cells.Length % columns != 0)
            DtThrow.Value(Owner.Path, $"property '{Name}' has {cells.Length} cells, expected a multiple of {columns}");
        var rows = new uint[cells.Length / columns][];
        for (var r = 0; r < rows.Length; r++)
            rows[r] = cells.AsSpan(r * columns, columns).ToArray();
        return rows;
    }

    public override string ToString() => Location;
}

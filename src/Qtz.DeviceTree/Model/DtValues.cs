using System.Buffers.Binary;
using System.Text;

namespace Qtz.DeviceTree.Model;

/// <summary>Encoders for property values, the inverse of the typed views on <see cref="DtProperty"/>.</summary>
public static class DtValues
{
    public static byte[] String(string value) => StringList(value);

    public static byte[] StringList(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new List<byte>();
        foreach (var v in values)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(v));
            bytes.Add(0);
        }

        return [.. bytes];
    }

    public static byte[] Cells(params uint[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var bytes = new byte[cells.Length * 4];
        for (var i = 0; i < cells.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), cells[i]);
        return bytes;
    }

    public static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Empty() => [];
}

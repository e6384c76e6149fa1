using System.Buffers.Binary;
using System.Text;

namespace Qtz.Firmware.ResourceTables;

/// <summary>
/// A remoteproc resource table (include/linux/remoteproc.h): header {u32 ver, u32 num, u32 reserved[2],
/// u32 offset[num]}, then entries that each start with a u32 type. In the merged EL2 design TrustZone
/// returns one through PAS GET_RSCTABLE; Linux maps its devmem entries in the DSP's IOMMU domain.
/// Version 1 is the only version Linux accepts; an empty request table (ver 0, num 0) is what Linux
/// sends when it has none.
/// </summary>
public sealed class ResourceTable
{
    public const int HeaderSize = 16;
    private const int NameLength = 32;

    public ResourceTable(uint version, IReadOnlyList<ResourceEntry> entries)
    {
        Version = version;
        Entries = entries;
    }

    public uint Version { get; }

    public IReadOnlyList<ResourceEntry> Entries { get; }

    public IEnumerable<DevMemResource> DevMem => Entries.Where(e => e.DevMem is not null).Select(e => e.DevMem!.Value);

    public static ResourceTable Empty { get; } = new(0, []);

    /// <summary>Parses a table; every offset and entry must lie inside <paramref name="data"/>.</summary>
    public static ResourceTable Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
            ResourceTableException.Throw($"{data.Length} bytes is shorter than the 16-byte header");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (BinaryPrimitives.ReadUInt64LittleEndian(data[8..]) != 0)
            ResourceTableException.Throw("reserved header words at offset 8 must be zero");
        if (version > 1)
            ResourceTableException.Throw($"version {version} is not supported (Linux accepts version 1)");
        if ((ulong)count * 4 > (ulong)(data.Length - HeaderSize))
            ResourceTableException.Throw($"{count} entry offsets do not fit in a {data.Length}-byte table");

        var entries = new ResourceEntry[count];
        var offsetsEnd = HeaderSize + (int)count * 4;
        for (var i = 0; i < count; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(data[(HeaderSize + i * 4)..]);
            if (offset < offsetsEnd || offset > (uint)data.Length - 4)
                ResourceTableException.Throw($"entry {i} offset 0x{offset:x} is outside the table body [0x{offsetsEnd:x}, 0x{data.Length:x})");
            entries[i] = ParseEntry(data, i, offset);
        }

        return new ResourceTable(version, entries);
    }

    private static ResourceEntry ParseEntry(ReadOnlySpan<byte> data, int index, uint offset)
    {
        var type = (ResourceType)BinaryPrimitives.ReadUInt32LittleEndian(data[(int)offset..]);
        var body = data[((int)offset + 4)..];
        switch (type)
        {
            case ResourceType.DevMem:
            case ResourceType.Carveout:
                Need(body, DevMemResource.Size, index, offset, type);
                var (da, pa, len, flags, reserved) = (U32(body, 0), U32(body, 4), U32(body, 8), U32(body, 12), U32(body, 16));
                var name = Name(body[20..]);
                return type == ResourceType.DevMem
                    ? new ResourceEntry(type, offset, DevMem: new DevMemResource(da, pa, len, flags, reserved, name))
                    : new ResourceEntry(type, offset, Carveout: new CarveoutResource(da, pa, len, flags, reserved, name));
            case ResourceType.Trace:
                Need(body, TraceResource.Size, index, offset, type);
                return new ResourceEntry(type, offset, Trace: new TraceResource(U32(body, 0), U32(body, 4), U32(body, 8), Name(body[12..])));
            default:
                // Linux skips types it has no handler for (vdev, vendor types); so do we.
                return new ResourceEntry(type, offset);
        }
    }

    /// <summary>Serialises the table: header, offsets, then the entries in order.</summary>
    public byte[] ToBytes()
    {
        var size = HeaderSize + Entries.Count * 4 + Entries.Sum(e => 4 + BodySize(e));
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Version);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)Entries.Count);
        var at = HeaderSize + Entries.Count * 4;
        for (var i = 0; i < Entries.Count; i++)
        {
            var e = Entries[i];
            BinaryPrimitives.WriteUInt32LittleEndian(span[(HeaderSize + i * 4)..], (uint)at);
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)e.Type);
            var body = span[(at + 4)..];
            if (e.DevMem is { } d) WriteMem(body, d.DeviceAddress, d.PhysicalAddress, d.Length, d.Flags, d.Reserved, d.Name);
            else if (e.Carveout is { } c) WriteMem(body, c.DeviceAddress, c.PhysicalAddress, c.Length, c.Flags, c.Reserved, c.Name);
            else if (e.Trace is { } t)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(body, t.DeviceAddress);
                BinaryPrimitives.WriteUInt32LittleEndian(body[4..], t.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(body[8..], t.Reserved);
                WriteName(body[12..], t.Name);
            }

            at += 4 + BodySize(e);
        }

        return bytes;
    }

    public static ResourceTable FromDevMem(IEnumerable<DevMemResource> devmem) =>
        new(1, devmem.Select(d => new ResourceEntry(ResourceType.DevMem, 0, DevMem: d)).ToArray());

    private static int BodySize(ResourceEntry e) =>
        e.DevMem is not null ? DevMemResource.Size : e.Carveout is not null ? CarveoutResource.Size : e.Trace is not null ? TraceResource.Size : 0;

    private static void WriteMem(Span<byte> body, uint da, uint pa, uint len, uint flags, uint reserved, string name)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(body, da);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], pa);
        BinaryPrimitives.WriteUInt32LittleEndian(body[8..], len);
        BinaryPrimitives.WriteUInt32LittleEndian(body[12..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(body[16..], reserved);
        WriteName(body[20..], name);
    }

    private static void WriteName(Span<byte> destination, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        bytes.AsSpan(0, Math.Min(bytes.Length, NameLength - 1)).CopyTo(destination);
    }

    private static void Need(ReadOnlySpan<byte> body, int size, int index, uint offset, ResourceType type)
    {
        if (body.Length < size)
            ResourceTableException.Throw($"entry {index} ({type}) at offset 0x{offset:x} needs {size + 4} bytes but only {body.Length + 4} remain");
    }

    private static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private static string Name(ReadOnlySpan<byte> raw)
    {
        raw = raw[..NameLength];
        var end = raw.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? raw : raw[..end]);
    }
}

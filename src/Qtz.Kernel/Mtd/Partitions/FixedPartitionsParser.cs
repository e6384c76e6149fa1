using System.Buffers.Binary;

namespace Qtz.Kernel.Mtd.Partitions;

/// <summary>One child of a DT <c>partitions</c> node, as the device-tree layer hands it over.</summary>
public sealed record FixedPartitionNode(string Path, string NodeName, ReadOnlyMemory<byte>? Reg, string? Label = null,
    bool ReadOnly = false, bool Lock = false);

/// <summary>The flash node's <c>partitions</c> child: its compatible list, cell sizes and children.</summary>
public sealed record FixedPartitionsNode(string Path, IReadOnlyList<string> Compatible, uint AddressCells, uint SizeCells,
    IReadOnlyList<FixedPartitionNode> Children);

/// <summary>
/// ofpart's fixed-partitions parser: <c>reg = &lt;offset size&gt;</c> in #address-cells/#size-cells
/// (1 or 2 each), the name from <c>label</c> or the node name, <c>read-only</c> masks WRITEABLE and
/// <c>lock</c> masks POWERUP_LOCK. A reg of the wrong length fails the whole table with −EINVAL.
/// </summary>
public sealed class FixedPartitionsParser(MtdRegistry registry, FixedPartitionsNode? node) : IMtdPartitionParser
{
    public string Name => "ofpart";

    public int Parse(MtdInfo master, out IReadOnlyList<MtdPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(master);
        partitions = [];
        if (node is null || node.Children.Count == 0) return 0;
        if (!node.Compatible.Contains("fixed-partitions")) return 0;
        if (node.AddressCells is < 1 or > 2 || node.SizeCells is < 1 or > 2)
        {
            registry.Print($"{master.Name}: error parsing ofpart partitions {node.Path}: #address-cells {node.AddressCells} / #size-cells {node.SizeCells} must be 1 or 2");
            return -MtdErrno.EINVAL;
        }

        var parts = new List<MtdPartition>();
        foreach (var child in node.Children)
        {
            if (child.Reg is not { } reg) continue;
            if (reg.Length != 4 * (node.AddressCells + node.SizeCells))
            {
                registry.Print($"ofpart partition {child.Path} ({node.Path}) error parsing reg property.");
                registry.Print($"{master.Name}: error parsing ofpart partition {child.Path} ({node.Path})");
                return -MtdErrno.EINVAL;
            }

            var offset = ReadNumber(reg.Span, (int)node.AddressCells);
            var size = ReadNumber(reg.Span[(4 * (int)node.AddressCells)..], (int)node.SizeCells);
            var mask = (child.ReadOnly ? MtdFlags.Writeable : 0) | (child.Lock ? MtdFlags.PowerupLock : 0);
            var name = child.Label ?? child.NodeName.Split('@')[0];
            parts.Add(new MtdPartition(name, size, offset, mask));
        }

        partitions = parts;
        return parts.Count;
    }

    private static ulong ReadNumber(ReadOnlySpan<byte> cells, int count) =>
        count == 1 ? BinaryPrimitives.ReadUInt32BigEndian(cells) : BinaryPrimitives.ReadUInt64BigEndian(cells);
}

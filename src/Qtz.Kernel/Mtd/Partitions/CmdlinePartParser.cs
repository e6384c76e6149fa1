namespace Qtz.Kernel.Mtd.Partitions;

/// <summary>
/// The cmdlinepart parser: picks the definition whose mtd-id is the master's name, resolves omitted
/// offsets and "-" sizes, truncates at the end of the device and skips partitions left empty.
/// </summary>
public sealed class CmdlinePartParser(MtdRegistry registry, string mtdparts) : IMtdPartitionParser
{
    public string Name => "cmdlinepart";

    public int Parse(MtdInfo master, out IReadOnlyList<MtdPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(master);
        partitions = [];
        IReadOnlyList<MtdPartsDefinition> definitions;
        try
        {
            definitions = MtdPartsSyntax.Parse(mtdparts);
        }
        catch (InvalidDataException e)
        {
            registry.Print(e.Message);
            return -MtdErrno.EINVAL;
        }

        var definition = definitions.FirstOrDefault(d => d.MtdId == master.Name);
        if (definition is null) return 0;
        var resolved = new List<MtdPartition>();
        ulong offset = 0;
        foreach (var part in definition.Partitions)
        {
            if (part.Offset != MtdPartition.OffsetAppend) offset = part.Offset;
            var size = part.Size == MtdPartsSyntax.SizeRemaining ? (offset < master.Size ? master.Size - offset : 0) : part.Size;
            if (offset > master.Size || size > master.Size - offset)
            {
                registry.Print($"{definition.MtdId}: partitioning exceeds flash size, truncating");
                size = offset < master.Size ? master.Size - offset : 0;
            }

            if (size == 0)
            {
                registry.Print($"{definition.MtdId}: skipping zero sized partition");
                continue;
            }

            resolved.Add(part with { Size = size, Offset = offset });
            offset += size;
        }

        partitions = resolved;
        return resolved.Count;
    }
}

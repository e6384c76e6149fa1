using Qtz.Firmware.ResourceTables;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// remoteproc resource tables (what TZ hands Linux through GET_RSCTABLE). Invariant: a table that
/// parses serialises to bytes that parse back to the same entries (types and decoded bodies; offsets
/// are the writer's own layout), and the writer's output is a fixed point. The writer keeps a NUL in
/// every 32-byte name (Linux prints them with %s), so a name that fills all 32 bytes comes back cut to
/// 31 characters: found by this target (seed 1), compared after that normalisation.
/// </summary>
internal sealed class ResourceTableFuzzTarget : FuzzTarget
{
    private const int MaxWrittenName = 31;

    public override string Name => "rsctable";

    public override string Description => "remoteproc resource tables";

    public override int MaxInputLength => 16 << 10;

    public override IReadOnlyList<byte[]> Seeds(Random random) =>
        [ResourceTable.Empty.ToBytes(), Generate(random), Generate(random), Generate(random)];

    public override byte[] Generate(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var entries = new List<ResourceEntry>();
        for (var i = random.Next(6); i > 0; i--)
        {
            var (da, pa, len, flags) = ((uint)random.Next(), (uint)random.Next(), (uint)random.Next(1, 1 << 20), (uint)random.Next(32));
            var name = "res" + random.Next(1000);
            entries.Add(random.Next(4) switch
            {
                0 => new ResourceEntry(ResourceType.Carveout, 0, Carveout: new CarveoutResource(da, pa, len, flags, 0, name)),
                1 => new ResourceEntry(ResourceType.Trace, 0, Trace: new TraceResource(da, len, 0, name)),
                _ => new ResourceEntry(ResourceType.DevMem, 0, DevMem: new DevMemResource(da, pa, len, flags, 0, name)),
            });
        }

        return new ResourceTable(1, entries).ToBytes();
    }

    public override void Execute(byte[] input)
    {
        var table = ResourceTable.Parse(input);
        var written = table.ToBytes();
        var again = ResourceTable.Parse(written);
        FuzzInvariantException.Check(again.Version == table.Version && again.Entries.Count == table.Entries.Count, "rsctable-roundtrip",
            () => $"version/count {table.Version}/{table.Entries.Count} came back as {again.Version}/{again.Entries.Count}");
        for (var i = 0; i < table.Entries.Count; i++)
        {
            var (before, after) = (Normalised(table.Entries[i]), again.Entries[i] with { Offset = 0 });
            FuzzInvariantException.Check(before == after, "rsctable-roundtrip", () => $"entry {i} {before} came back as {after}");
        }

        FuzzInvariantException.Check(again.ToBytes().AsSpan().SequenceEqual(written), "rsctable-writer-fixed-point",
            () => "serialising the re-parsed table gave different bytes");
    }

    private static ResourceEntry Normalised(ResourceEntry e) => e with
    {
        Offset = 0,
        DevMem = e.DevMem is { } d ? d with { Name = Cut(d.Name) } : null,
        Carveout = e.Carveout is { } c ? c with { Name = Cut(c.Name) } : null,
        Trace = e.Trace is { } t ? t with { Name = Cut(t.Name) } : null,
    };

    private static string Cut(string name) => name.Length > MaxWrittenName ? name[..MaxWrittenName] : name;
}

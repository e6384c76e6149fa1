using Qtz.DeviceTree;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Properties;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// Flattened device trees through the reader, the DTS printer, the writer and the checks. Invariant:
/// a blob that parses writes a blob that parses again, and writing that tree gives the same bytes
/// (the writer's output is a fixed point). Seeds: generated trees plus real .dtb files when present.
/// </summary>
internal sealed class DtbFuzzTarget(FuzzTargetContext context) : FuzzTarget
{
    private const long MaxRealSeedBytes = 256 << 10;

    public override string Name => "dtb";

    public override string Description => "flattened device trees";

    public override FuzzByteOrder ByteOrder => FuzzByteOrder.BigEndian;

    public override IReadOnlyList<byte[]> Seeds(Random random)
    {
        var seeds = new List<byte[]> { DtGenerator.OverlaySkeleton().ToBlob(), DtGenerator.RandomTree(random).ToBlob() };
        seeds.AddRange(FuzzCorpus.Files(context, "dtb", ".dtb").Where(f => f.Length <= MaxRealSeedBytes).Take(4).Select(f => File.ReadAllBytes(f.FullName)));
        return seeds;
    }

    public override byte[] Generate(Random random) => DtGenerator.RandomTree(random).ToBlob();

    public override void Execute(byte[] input)
    {
        var tree = DtTree.Parse(input);
        _ = tree.ToDts();
        var written = tree.ToBlob();
        DtTree reparsed;
        try
        {
            reparsed = DtTree.Parse(written);
        }
        catch (FormatException e)
        {
            throw new FuzzInvariantException("dtb-roundtrip-reparse", $"our own output does not parse: {e.Message}");
        }

        FuzzInvariantException.Check(reparsed.ToBlob().AsSpan().SequenceEqual(written), "dtb-writer-fixed-point",
            () => "writing the re-parsed tree gave different bytes");
        _ = tree.GetReservedMemory();
        foreach (var node in tree.Root.DescendantsAndSelf())
        {
            _ = node.GetReg();
            _ = node.GetInterrupts();
            _ = node.GetIommus();
        }

        tree.Validate();
    }
}

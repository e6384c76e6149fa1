using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Qtz.DeviceTree.Fdt;
using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Tests.Fdt;

/// <summary>Property: any tree written and read back is the same tree, and writing it again gives the same bytes.</summary>
public class RoundTripPropertyTests
{
    [Fact]
    public void Any_tree_survives_write_then_parse()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();
        Prop.ForAll(seeds, seed =>
        {
            var tree = RandomTree(new Random(seed));
            var blob = tree.ToBlob();
            var again = DtTree.Parse(blob);
            return again.ToDts() == tree.ToDts() && again.ToBlob().AsSpan().SequenceEqual(blob)
                && again.ReserveEntries.SequenceEqual(tree.ReserveEntries);
        }).QuickCheckThrowOnFailure();
    }

    private static readonly string[] Names = ["compatible", "reg", "status", "a", "ab", "b", "phandle", "x,y-z", "#size-cells"];

    private static DtTree RandomTree(Random random)
    {
        var tree = new DtTree { BootCpuId = (uint)random.Next(4) };
        for (var i = random.Next(3); i > 0; i--)
            tree.ReserveEntries.Add(new FdtReserveEntry((ulong)random.NextInt64(1, long.MaxValue), (ulong)random.NextInt64(1, long.MaxValue)));
        Fill(tree.Root, random, 0);
        return tree;
    }

    private static void Fill(DtNode node, Random random, int depth)
    {
        for (var i = random.Next(5); i > 0; i--)
        {
            var value = new byte[random.Next(0, 24)];
            random.NextBytes(value);
            node.SetProperty(Names[random.Next(Names.Length)] + (random.Next(3) == 0 ? "-" + random.Next(100) : ""), value);
        }

        if (depth > 4) return;
        for (var i = random.Next(4); i > 0; i--)
            Fill(node.GetOrAddChild($"n{random.Next(10)}@{random.Next(0x1000):x}"), random, depth + 1);
    }
}

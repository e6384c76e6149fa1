using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Bindings;
using Qtz.DeviceTree.Fdt;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;
using Qtz.DeviceTree.Properties;

namespace Qtz.DeviceTree.Tests.Fuzz;

/// <summary>
/// Seeded mutation fuzzing of the reader and of everything that reads a parsed tree: every mutant
/// must either parse or fail with a typed error (FormatException family), never anything else.
/// </summary>
public class MutationFuzzTests
{
    [Fact]
    public void A_hundred_thousand_mutants_of_a_small_tree_give_only_typed_errors() =>
        Run(SmallSeed(), seed: 1, LongRuns.Iterations(100_000, 2_000_000));

    [Fact]
    public void Mutants_of_a_real_dtb_give_only_typed_errors() =>
        Run(File.ReadAllBytes(RealDtbs.PathOf("sa8775p-ride.dtb")), seed: 2, LongRuns.Iterations(3_000, 100_000));

    [LongRunFact]
    public void Mutants_of_every_real_dtb_give_only_typed_errors()
    {
        var seed = 3;
        foreach (var name in RealDtbs.Names)
            Run(File.ReadAllBytes(RealDtbs.PathOf(name)), seed++, 5_000);
    }

    /// <summary>The ADSP node with what it refers to (SMMU, carveout), EL2 overlays applied: ~3 KiB, fast to mutate.</summary>
    private static byte[] SmallSeed()
    {
        var full = RealDtbs.Load("sa8775p-ride.dtb");
        DtOverlay.Apply(full, ShippedOverlays.Load("sa8775p-el2"), ShippedOverlays.Load("sa8775p-devmem"));
        var small = new DtTree();
        foreach (var p in full.Root.Properties) small.Root.SetProperty(p.Name, p.Span);
        small.ReserveEntries.Add(new FdtReserveEntry(0x9000_0000, 0x1000));
        var soc = small.Root.AddChild("soc@0");
        foreach (var p in full.GetNode("/soc@0").Properties) soc.SetProperty(p.Name, p.Span);
        Copy(full.GetNode("/soc@0/remoteproc@30000000"), soc);
        Copy(full.GetNode("/soc@0/iommu@15000000"), soc);
        var reserved = small.Root.AddChild("reserved-memory");
        foreach (var p in full.GetNode("/reserved-memory").Properties) reserved.SetProperty(p.Name, p.Span);
        Copy(full.GetNode("/soc@0/remoteproc@30000000").GetMemoryRegions()[0], reserved);
        return small.ToBlob();
    }

    private static void Copy(DtNode from, DtNode toParent)
    {
        var to = toParent.AddChild(from.Name);
        foreach (var p in from.Properties) to.SetProperty(p.Name, p.Span);
        foreach (var c in from.Children) Copy(c, to);
    }

    private static void Run(byte[] original, int seed, int mutants)
    {
        var random = new Random(seed);
        var parsed = 0;
        for (var i = 0; i < mutants; i++)
        {
            var mutant = Mutate(original, random);
            try
            {
                var tree = DtTree.Parse(mutant);
                parsed++;
                // Reading a tree that parsed must not crash either; do the heavier work on a sample.
                if (i % 16 == 0) Exercise(tree);
            }
            catch (FormatException)
            {
                // FdtFormatException, DtValueException, DtOverlayException: all typed, all fine.
            }
            catch (DtNotFoundException)
            {
            }
            catch (Exception unexpected)
            {
                Assert.Fail($"mutant {i} (seed {seed}) threw {unexpected.GetType().Name}: {unexpected.Message}\n{Convert.ToHexString(mutant)}");
            }
        }

        Assert.InRange(parsed, 1, mutants); // the mutator must not be so wild that nothing ever parses
    }

    private static void Exercise(DtTree tree)
    {
        _ = tree.ToDts();
        _ = DtTree.Parse(tree.ToBlob());
        _ = PasBindingChecker.Check(tree);
        _ = tree.GetReservedMemory();
        tree.Validate();
        foreach (var node in tree.Root.DescendantsAndSelf())
        {
            _ = node.GetReg();
            _ = node.GetInterrupts();
            _ = node.GetIommus();
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var blob = (byte[])original.Clone();
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(blob.Length);
            switch (random.Next(6))
            {
                case 0: blob[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: blob[at] = (byte)random.Next(256); break;
                case 2:
                    // an interesting word on a cell boundary: tokens, 0, -1, small and huge sizes
                    at &= ~3;
                    if (at + 4 <= blob.Length)
                    {
                        uint[] words = [0, 1, 2, 3, 4, 9, 0xffffffff, 0x80000000, 0x7fffffff, 16, 0x1000, (uint)blob.Length];
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(at), words[random.Next(words.Length)]);
                    }

                    break;
                case 3: blob = blob[..Math.Max(0, at)]; break;
                case 4:
                    var len = random.Next(1, 64);
                    var from = random.Next(blob.Length);
                    var count = Math.Min(len, Math.Min(blob.Length - from, blob.Length - at));
                    Array.Copy(blob, from, blob, at, count);
                    break;
                default:
                    // header fields are the most sensitive: hit them often
                    var field = random.Next(10) * 4;
                    if (field + 4 <= blob.Length) blob[field + random.Next(4)] = (byte)random.Next(256);
                    break;
            }

            if (blob.Length == 0) break;
        }

        return blob;
    }
}

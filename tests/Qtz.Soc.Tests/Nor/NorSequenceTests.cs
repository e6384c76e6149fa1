using Qtz.Soc.Nor;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Nor;

public sealed class NorSequenceTests
{
    private static (byte[] Contents, VirtualTime Now, uint Erases) Run(bool traced, int seed)
    {
        var random = new Random(seed);
        var initial = new byte[256 << 10];
        random.NextBytes(initial);
        var storage = new MemoryNorStorage(initial);
        var chip = new NorChip(NorPartTable.ForSize(256 << 10), storage, new VirtualClock());
        if (traced) chip.OperationStarted += _ => { };
        var data = new byte[70_000];
        random.NextBytes(data);
        chip.EraseSequence(NorEraseUnit.Sector, 8192, 3);
        chip.EraseSequence(NorEraseUnit.Block64, 65536, 1);
        chip.ProgramSequence(8192 + 100, data);
        return (storage.Contents.ToArray(), chip.Clock.Now, chip.EraseCount(2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_bulk_sequence_leaves_the_same_bits_counters_and_time_as_the_single_commands(int seed)
    {
        var bulk = Run(traced: false, seed);
        var single = Run(traced: true, seed);
        Assert.True(bulk.Contents.AsSpan().SequenceEqual(single.Contents));
        Assert.Equal(single.Now, bulk.Now);
        Assert.Equal(single.Erases, bulk.Erases);
    }
}

using FsCheck;
using FsCheck.Fluent;
using Qtz.Soc.Nor;
using Qtz.TestSupport;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Nor;

/// <summary>The DMA paths (scatter read, gather program) against the span paths they replace.</summary>
public sealed class NorScatterGatherTests
{
    private const int Size = 256 << 10;

    private static List<Memory<byte>> Split(byte[] buffer, int[] cuts)
    {
        var segments = new List<Memory<byte>>();
        var at = 0;
        foreach (var cut in cuts.Select(c => Math.Abs(c % 9000)).Where(c => c > 0))
        {
            var n = Math.Min(cut, buffer.Length - at);
            if (n == 0) break;
            segments.Add(buffer.AsMemory(at, n));
            at += n;
        }

        if (at < buffer.Length) segments.Add(buffer.AsMemory(at));
        return segments;
    }

    private static byte[] Random(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void A_scatter_read_fills_every_segment_like_one_read_including_across_the_top_of_the_array()
    {
        Prop.ForAll<int, int, int[]>((seed, start, cuts) =>
        {
            var contents = Random(seed, Size);
            var chip = new NorChip(NorPartTable.ForSize(Size), new MemoryNorStorage(contents), new VirtualClock());
            var length = 1 + Math.Abs(seed % 70_000);
            var address = (ulong)(uint)start % Size;
            var expected = new byte[length];
            chip.Read(address, expected);
            var before = chip.Clock.Now;
            var actual = new byte[length];
            chip.Read(address, Split(actual, cuts));
            return actual.AsSpan().SequenceEqual(expected) && (chip.Clock.Now - before).Ticks > 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_gather_program_leaves_the_same_bits_and_time_as_programming_one_buffer()
    {
        Prop.ForAll<int, int, int[]>((seed, start, cuts) =>
        {
            var contents = Random(seed, Size);
            var data = Random(seed + 1, 1 + Math.Abs(seed % 150_000));
            var address = (ulong)(uint)start % (ulong)(Size - data.Length);
            var one = new MemoryNorStorage(contents.ToArray());
            var oneChip = new NorChip(NorPartTable.ForSize(Size), one, new VirtualClock());
            oneChip.ProgramSequence(address, data);
            var many = new MemoryNorStorage(contents.ToArray());
            var manyChip = new NorChip(NorPartTable.ForSize(Size), many, new VirtualClock());
            manyChip.ProgramSequence(address, Gather(data, cuts));
            return many.Contents.SequenceEqual(one.Contents) && manyChip.Clock.Now == oneChip.Clock.Now && !manyChip.WriteEnableLatch;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void An_image_file_reads_and_writes_scatter_lists_as_consecutive_bytes()
    {
        using var dir = new TempDirectory();
        using var storage = MappedImageStorage.Create(dir.File("flash.img"), Size);
        var data = Random(7, 100_000);
        storage.Write(1000, Gather(data, [4096, 1, 65536, 300]));
        var back = new byte[data.Length];
        storage.Read(1000, Split(back, [17, 4096, 20_000]));
        Assert.Equal(data, back);
        var edge = new byte[2];
        storage.Read(999, edge.AsSpan(0, 1));
        storage.Read(101_000, edge.AsSpan(1, 1));
        Assert.Equal(new byte[] { 0xFF, 0xFF }, edge);
    }

    [Fact]
    public void Programming_and_against_the_stored_bytes_in_place_gives_stored_and_data_at_any_length_and_alignment()
    {
        Prop.ForAll<byte[], byte[], int>((stored, data, skew) =>
        {
            var n = Math.Min(stored.Length, data.Length);
            var at = n == 0 ? 0 : Math.Abs(skew % (n + 1));
            var result = new byte[n + 3];
            NorBits.Program(result.AsSpan(at % 3), stored.AsSpan(0, n), data.AsSpan(0, n));
            var expected = stored.Take(n).Zip(data, (a, b) => (byte)(a & b)).ToArray();
            return result.AsSpan(at % 3, n).SequenceEqual(expected);
        }).QuickCheckThrowOnFailure();
        Assert.Throws<ArgumentException>(() => NorBits.Program(new byte[4], new byte[3], new byte[4]));
    }

    [Fact]
    public void A_gather_program_on_a_storage_that_cannot_lend_its_bytes_reads_them_and_ends_the_same()
    {
        Prop.ForAll<int, int[]>((seed, cuts) =>
        {
            var contents = Random(seed, Size);
            var data = Random(seed + 1, 1 + Math.Abs(seed % 150_000));
            var address = (ulong)(uint)(seed * 31) % (ulong)(Size - data.Length);
            var lending = new MemoryNorStorage(contents.ToArray());
            new NorChip(NorPartTable.ForSize(Size), lending, new VirtualClock()).ProgramSequence(address, Gather(data, cuts));
            var lower = new MemoryNorStorage(contents.ToArray());
            var overlay = new OverlayNorStorage(lower);
            Assert.False(((INorStorage)overlay).TryView(0, 1, out _));
            new NorChip(NorPartTable.ForSize(Size), overlay, new VirtualClock()).ProgramSequence(address, Gather(data, cuts));
            var back = new byte[Size];
            overlay.Read(0, back);
            return back.AsSpan().SequenceEqual(lending.Contents) && lower.Contents.SequenceEqual(contents);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void An_image_file_reads_its_old_bytes_for_programming_instead_of_faulting_its_mapping_in()
    {
        using var dir = new TempDirectory();
        using var storage = MappedImageStorage.Create(dir.File("flash.img"), Size);
        Assert.False(((INorStorage)storage).TryView(0, 1, out _));
        var data = Random(3, 70_000);
        storage.Write(5000, data); // bulk: a pwrite, not through the mapping
        var chip = new NorChip(NorPartTable.ForSize(Size), storage, new VirtualClock());
        var mask = Random(4, data.Length);
        chip.ProgramSequence(5000, Gather(mask, [1000, 40_000]));
        var back = new byte[data.Length];
        storage.Read(5000, back.AsSpan(0, 100)); // small: through the mapping, which sees the pwrites
        storage.Read(5100, back.AsSpan(100));
        Assert.Equal(data.Zip(mask, (d, m) => (byte)(d & m)).ToArray(), back);
    }

    [Fact]
    public void A_gather_program_on_an_image_file_persists_exactly_what_the_in_memory_chip_holds()
    {
        using var dir = new TempDirectory();
        var path = dir.File("flash.img");
        var contents = Random(11, Size);
        File.WriteAllBytes(path, contents);
        var data = Random(12, 200_000);
        var reference = new MemoryNorStorage(contents.ToArray());
        new NorChip(NorPartTable.ForSize(Size), reference, new VirtualClock()).ProgramSequence(4093, Gather(data, [4096, 3, 70_000]));
        using (var image = MappedImageStorage.Open(path, readOnly: false))
        {
            new NorChip(NorPartTable.ForSize(Size), image, new VirtualClock()).ProgramSequence(4093, Gather(data, [4096, 3, 70_000]));
            image.Dispose(); // twice: the second is a no-op
        }

        Assert.Equal(reference.Contents.ToArray(), File.ReadAllBytes(path));
    }

    private static List<ReadOnlyMemory<byte>> Gather(byte[] data, int[] cuts) =>
        Split(data, cuts).Select(m => (ReadOnlyMemory<byte>)m).ToList();
}

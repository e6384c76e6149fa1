using System.IO.MemoryMappedFiles;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Bus;

public sealed class MappedFileRamTests : IDisposable
{
    private static readonly PhysAddr Base = new(0x4000_0000);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"qtz-ram-test-{Guid.NewGuid():n}");
    private readonly MappedFileRam _ram;
    private readonly SystemBus _bus = new(new VirtualClock());

    public MappedFileRamTests()
    {
        _ram = MappedFileRam.Create(_path, 0x10_0000);
        _bus.AddRam("ddr", Base, _ram);
    }

    public void Dispose()
    {
        _ram.Dispose();
        File.Delete(_path);
    }

    [Fact]
    public void The_window_is_as_large_as_the_file()
    {
        var w = Assert.Single(_bus.Windows);
        Assert.Equal(0x10_0000UL, w.Range.Size);
        Assert.Same(_ram, w.Memory);
    }

    [Fact]
    public void What_another_mapping_of_the_file_stores_the_bus_reads_and_the_other_way_round()
    {
        using var other = MemoryMappedFile.CreateFromFile(_path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        using var view = other.CreateViewAccessor();
        view.Write(0x1234, 0xDEAD_BEEF_0BAD_F00DUL);
        Assert.Equal(BusStatus.Ok, _bus.ReadUInt64(BusMaster.SecureWorld, Base + 0x1234, out var seen));
        Assert.Equal(0xDEAD_BEEF_0BAD_F00DUL, seen);

        Assert.Equal(BusStatus.Ok, _bus.WriteUInt32(BusMaster.SecureWorld, Base + 0x8000, 0xA5A5_5A5A));
        Assert.Equal(0xA5A5_5A5Au, view.ReadUInt32(0x8000));
    }

    [Fact]
    public void Gathered_segments_are_the_mapped_bytes_not_copies()
    {
        var segments = new List<Memory<byte>>();
        Assert.Equal(BusStatus.Ok, _bus.Gather(BusMaster.SecureWorld, Base + 0x10, 64, AccessKind.Write, segments));
        Assert.Equal(64, Assert.Single(segments).Length);
        segments[0].Span.Fill(0x77);
        Span<byte> back = stackalloc byte[64];
        _ram.Read(0x10, back);
        Assert.False(back.ContainsAnyExcept((byte)0x77));
    }

    [Fact]
    public void Fill_and_visit_cover_exactly_the_range()
    {
        Assert.Equal(BusStatus.Ok, _bus.Fill(BusMaster.SecureWorld, Base + 0x100, 0x2000, 0xEE));
        var total = 0L;
        Assert.Equal(BusStatus.Ok, _bus.Visit(BusMaster.SecureWorld, Base + 0xFF, 0x2002, 0, (span, _) => total += span.ToArray().Count(b => b == 0xEE)));
        Assert.Equal(0x2000, total);
    }

    [Fact]
    public void An_access_past_the_file_is_a_decode_error_not_a_crash()
    {
        Assert.Equal(BusStatus.DecodeError, _bus.Read(BusMaster.SecureWorld, Base + 0xF_FFFC, new byte[8]));
    }

    [Fact]
    public void Mailbox_words_are_published_and_observed_in_place()
    {
        _ram.WriteUInt64Release(0x1008, 42);
        Assert.Equal(42UL, _ram.ReadUInt64Acquire(0x1008));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ram.ReadUInt64Acquire(0x1004));
    }
}

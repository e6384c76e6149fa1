using Qtz.Soc.Nor;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Nor;

public sealed class NorChipTests
{
    private static (NorChip Chip, MemoryNorStorage Storage) NewChip(ulong size = 1 << 20, int seed = 1)
    {
        var geometry = NorPartTable.ForSize(size);
        var storage = new MemoryNorStorage(size);
        return (new NorChip(geometry, storage, new VirtualClock(seed)), storage);
    }

    private static void Program(NorChip chip, ulong address, byte[] data)
    {
        chip.WriteEnable();
        chip.PageProgram(address, data);
        chip.WaitWhileBusy();
    }

    private static void Erase(NorChip chip, NorEraseUnit unit, ulong address)
    {
        chip.WriteEnable();
        chip.Erase(unit, address);
        chip.WaitWhileBusy();
    }

    [Fact]
    public void The_default_part_is_the_32_MiB_W25Q256JW_with_4_KiB_sectors_64_KiB_blocks_and_256_byte_pages()
    {
        var g = NorPartTable.Default;
        Assert.Equal("W25Q256JW", g.PartName);
        Assert.Equal(32UL << 20, g.SizeInBytes);
        Assert.Equal((4096, 65536, 256), (g.SectorSize, g.BlockSize, g.PageSize));
        Assert.Equal(new byte[] { 0xEF, 0x60, 0x19 }, g.JedecId);
        Assert.Equal(8192, g.SectorCount);
    }

    [Fact]
    public void Program_ands_the_data_into_the_array()
    {
        var (chip, storage) = NewChip();
        Program(chip, 0, [0xF0, 0x0F]);
        Program(chip, 0, [0x3C, 0xFF]);
        Assert.Equal(new byte[] { 0x30, 0x0F }, storage.Contents[..2].ToArray());
    }

    [Fact]
    public void Erase_sets_the_whole_aligned_sector_to_ff_and_ignores_low_address_bits()
    {
        var (chip, storage) = NewChip();
        Program(chip, 4096 + 10, [0, 0]);
        Program(chip, 8192, [0]);
        Erase(chip, NorEraseUnit.Sector, 4096 + 4000);
        Assert.True(storage.Contents.Slice(4096, 4096).IndexOfAnyExcept((byte)0xFF) < 0);
        Assert.Equal(0, storage.Contents[8192]);
        Assert.Equal(1u, chip.EraseCount(1));
    }

    [Fact]
    public void Page_program_wraps_to_the_start_of_the_same_page()
    {
        var (chip, storage) = NewChip();
        Program(chip, 250, Enumerable.Range(0, 10).Select(i => (byte)i).ToArray());
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5 }, storage.Contents.Slice(250, 6).ToArray());
        Assert.Equal(new byte[] { 6, 7, 8, 9 }, storage.Contents[..4].ToArray());
        Assert.Equal(0xFF, storage.Contents[256]);
    }

    [Fact]
    public void Of_more_than_a_page_only_the_last_page_worth_is_programmed()
    {
        var (chip, storage) = NewChip();
        var data = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        Program(chip, 0, data);
        // the last 256 bytes (values 44..299) start at 44 and wrap: byte k of the page ends up holding k
        Assert.Equal(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), storage.Contents[..256].ToArray());
        Assert.Equal(0xFF, storage.Contents[256]);
    }

    [Fact]
    public void Program_and_erase_without_the_write_enable_latch_are_ignored()
    {
        var (chip, storage) = NewChip();
        chip.PageProgram(0, [0]);
        chip.Erase(NorEraseUnit.Sector, 0);
        Assert.Equal(0xFF, storage.Contents[0]);
        Assert.Equal(2, chip.IgnoredCommands);
    }

    [Fact]
    public void The_latch_clears_when_a_program_completes()
    {
        var (chip, _) = NewChip();
        chip.WriteEnable();
        Assert.Equal(2, chip.Status);
        chip.PageProgram(0, [0]);
        Assert.Equal(1, chip.Status & 1);
        chip.WaitWhileBusy();
        Assert.Equal(0, chip.Status);
    }

    [Fact]
    public void Commands_sent_while_busy_are_ignored()
    {
        var (chip, storage) = NewChip();
        chip.WriteEnable();
        chip.Erase(NorEraseUnit.Sector, 0);
        chip.WriteEnable();
        chip.PageProgram(0, [0]);
        chip.WaitWhileBusy();
        Assert.Equal(0xFF, storage.Contents[0]);
    }

    [Fact]
    public void Operations_take_their_datasheet_time_on_the_virtual_clock()
    {
        var (chip, _) = NewChip();
        Erase(chip, NorEraseUnit.Sector, 0);
        Assert.Equal(45, chip.Clock.Now.Milliseconds, 3);
        Program(chip, 0, new byte[256]);
        Assert.Equal(45.4, chip.Clock.Now.Milliseconds, 3);
        Erase(chip, NorEraseUnit.Block64, 0);
        Assert.Equal(195.4, chip.Clock.Now.Milliseconds, 3);
    }

    [Fact]
    public void Read_wraps_at_the_top_of_the_array_and_charges_bus_time()
    {
        var (chip, _) = NewChip();
        Program(chip, 0, [0x12]);
        var before = chip.Clock.Now;
        var buffer = new byte[2];
        chip.Read((1 << 20) - 1, buffer);
        Assert.Equal(new byte[] { 0xFF, 0x12 }, buffer);
        Assert.True(chip.Clock.Now > before);
    }

    [Fact]
    public void A_sector_erased_past_its_endurance_keeps_a_stuck_bit()
    {
        var geometry = new NorGeometry("tiny", 0xEF, 0x4000, 64 << 10, enduranceCycles: 3);
        var storage = new MemoryNorStorage(64 << 10);
        var chip = new NorChip(geometry, storage, new VirtualClock());
        for (var i = 0; i < 3; i++) Erase(chip, NorEraseUnit.Sector, 0);
        Assert.False(chip.IsWornOut(0));
        Assert.True(storage.Contents[..4096].IndexOfAnyExcept((byte)0xFF) < 0);
        Erase(chip, NorEraseUnit.Sector, 0);
        Assert.True(chip.IsWornOut(0));
        Assert.True(storage.Contents[..4096].IndexOfAnyExcept((byte)0xFF) >= 0);
    }

    [Fact]
    public void Every_program_and_erase_is_reported_as_an_operation()
    {
        var (chip, _) = NewChip();
        var ops = new List<NorOperation>();
        chip.OperationStarted += ops.Add;
        Erase(chip, NorEraseUnit.Sector, 4096);
        Program(chip, 4096, [1, 2]);
        Assert.Equal([NorOperationKind.Erase, NorOperationKind.Program], ops.Select(o => o.Kind));
        Assert.Equal(4096UL, ops[1].Address);
        Assert.Equal(2UL, ops[1].Length);
        Assert.Equal(new byte[] { 1, 2 }, ops[1].Data.ToArray());
    }
}

using FsCheck;
using FsCheck.Fluent;
using Qtz.Soc.Nor;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Nor;

public sealed class NorPowerCutTests
{
    [Fact]
    public void A_program_cut_short_only_clears_bits_it_was_due_to_clear()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<int>(), (seed, percent) =>
        {
            var clock = new VirtualClock(seed);
            var storage = new MemoryNorStorage(64 << 10);
            var chip = new NorChip(NorPartTable.ForSize(64 << 10), storage, clock);
            var random = new Random(seed);
            var old = new byte[256];
            random.NextBytes(old);
            storage.Write(0, old);
            var data = new byte[256];
            random.NextBytes(data);
            chip.WriteEnable();
            var fraction = Math.Abs(percent % 100) / 100.0;
            chip.SchedulePowerCut(clock.Now + TimeSpan.FromTicks((long)(4000 * fraction) + 1));
            chip.PageProgram(0, data);
            chip.WaitWhileBusy();
            var now = storage.Contents[..256].ToArray();
            for (var i = 0; i < 256; i++)
            {
                Assert.Equal(0, now[i] & ~old[i]); // never 0 -> 1
                Assert.Equal(0, (now[i] ^ old[i]) & data[i]); // only bits the program targeted changed
            }

            Assert.False(chip.IsPowered);
            Assert.NotNull(chip.InterruptedOperation);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void An_erase_cut_short_changes_nothing_outside_its_sector()
    {
        var clock = new VirtualClock(7);
        var storage = new MemoryNorStorage(64 << 10, fill: 0x5A);
        var chip = new NorChip(NorPartTable.ForSize(64 << 10), storage, clock);
        chip.WriteEnable();
        chip.SchedulePowerCut(clock.Now + TimeSpan.FromMilliseconds(10));
        chip.Erase(NorEraseUnit.Sector, 4096);
        chip.WaitWhileBusy();
        Assert.True(storage.Contents[..4096].IndexOfAnyExcept((byte)0x5A) < 0);
        Assert.True(storage.Contents[8192..].IndexOfAnyExcept((byte)0x5A) < 0);
        // early in the erase: the pre-program to zeros runs from the end of the sector
        Assert.Equal(0, storage.Contents[8191]);
        Assert.Equal(0x5A, storage.Contents[4096]);
        Assert.Equal(10, clock.Now.Milliseconds, 3);
    }

    [Fact]
    public void After_the_cut_every_command_is_ignored()
    {
        var clock = new VirtualClock();
        var storage = new MemoryNorStorage(64 << 10);
        var chip = new NorChip(NorPartTable.ForSize(64 << 10), storage, clock);
        chip.SchedulePowerCut(clock.Now);
        chip.WriteEnable();
        chip.PageProgram(0, [0]);
        Assert.Equal(0xFF, storage.Contents[0]);
        Assert.False(chip.IsPowered);
        chip.PowerOn();
        chip.WriteEnable();
        chip.PageProgram(0, [0]);
        chip.WaitWhileBusy();
        Assert.Equal(0, storage.Contents[0]);
    }
}

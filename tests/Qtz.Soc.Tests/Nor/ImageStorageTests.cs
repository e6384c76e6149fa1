using Qtz.Soc.Nor;
using Qtz.TestSupport;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Soc.Tests.Nor;

public sealed class ImageStorageTests
{
    [Fact]
    public void A_new_image_is_all_ff_and_what_the_chip_programs_persists_in_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("flash.img");
        using (var chip = new NorChip(NorPartTable.ForSize(1 << 20), MappedImageStorage.Create(path, 1 << 20), new VirtualClock()))
        {
            chip.WriteEnable();
            chip.PageProgram(0x100, [0x12, 0x34]);
            chip.WaitWhileBusy();
        }

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(1 << 20, bytes.Length);
        Assert.Equal(new byte[] { 0x12, 0x34 }, bytes[0x100..0x102]);
        bytes[0x100] = 0xFF;
        bytes[0x101] = 0xFF;
        Assert.True(bytes.AsSpan().IndexOfAnyExcept((byte)0xFF) < 0);
    }

    [Fact]
    public void An_existing_image_opened_read_only_is_never_modified()
    {
        using var dir = new TempDirectory();
        var path = dir.File("flash.img");
        File.WriteAllBytes(path, new byte[64 << 10]);
        using var storage = MappedImageStorage.Open(path, readOnly: true);
        var buffer = new byte[4];
        storage.Read(10, buffer);
        Assert.Equal(new byte[4], buffer);
        Assert.True(storage.IsReadOnly);
    }

    [Fact]
    public void An_overlay_keeps_writes_private()
    {
        var lower = new MemoryNorStorage(64 << 10);
        var overlay = new OverlayNorStorage(lower);
        overlay.Write(4090, new byte[10]);
        var buffer = new byte[12];
        overlay.Read(4089, buffer);
        Assert.Equal(0xFF, buffer[0]);
        Assert.Equal(0, buffer[1]);
        Assert.Equal(0xFF, buffer[11]);
        Assert.True(lower.Contents.IndexOfAnyExcept((byte)0xFF) < 0);
        Assert.Equal(2, overlay.CopiedGranules);
    }
}

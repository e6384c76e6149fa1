using System.Globalization;
using System.Text;
using Qtz.TestSupport;
using Xunit;
using Qtz.Linux.Guest;

namespace Qtz.Linux.Tests;

public class CpioWriterTests
{
    private static byte[] Archive(Action<CpioWriter> fill)
    {
        using var m = new MemoryStream();
        using (var w = new CpioWriter(m)) fill(w);
        return m.ToArray();
    }

    /// <summary>Reads newc entries back: (name, mode, data, rdev major, rdev minor), stopping at the trailer.</summary>
    private static List<(string Name, int Mode, byte[] Data, int Major, int Minor)> Read(byte[] archive)
    {
        var entries = new List<(string, int, byte[], int, int)>();
        var at = 0;
        while (true)
        {
            Assert.Equal("070701", Encoding.ASCII.GetString(archive, at, 6));
            int Field(int i) => int.Parse(Encoding.ASCII.GetString(archive, at + 6 + (8 * i), 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var (mode, size, major, minor, nameSize) = (Field(1), Field(6), Field(9), Field(10), Field(11));
            var name = Encoding.ASCII.GetString(archive, at + 110, nameSize - 1);
            var dataAt = (at + 110 + nameSize + 3) & ~3;
            if (name == "TRAILER!!!") return entries;
            entries.Add((name, mode, archive[dataAt..(dataAt + size)], major, minor));
            at = (dataAt + size + 3) & ~3;
        }
    }

    [Fact]
    public void Files_come_after_their_parent_directories_with_their_modes_and_bytes()
    {
        var e = Read(Archive(w => w.AddFile("lib/modules/qtz/a.ko", [1, 2, 3], 0x1A4)));
        Assert.Equal(["lib", "lib/modules", "lib/modules/qtz", "lib/modules/qtz/a.ko"], e.Select(x => x.Name));
        Assert.Equal(0x81A4, e[3].Mode);
        Assert.Equal([1, 2, 3], e[3].Data);
        Assert.All(e.Take(3), d => Assert.Equal(0x41ED, d.Mode));
    }

    [Fact]
    public void Every_header_and_data_start_on_a_four_byte_boundary_and_the_archive_ends_with_the_trailer()
    {
        var bytes = Archive(w => { w.AddFile("x", [9]); w.AddFile("yy/zzz", new byte[5]); w.AddSymlink("bin/sh", "busybox"); });
        Assert.Equal(0, bytes.Length % 4);
        Assert.Equal(["x", "yy", "yy/zzz", "bin", "bin/sh"], Read(bytes).Select(e => e.Name));
        Assert.Contains("TRAILER!!!", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_console_device_node_carries_its_major_and_minor()
    {
        var e = Assert.Single(Read(Archive(w => w.AddCharDevice("console", 5, 1))));
        Assert.Equal((0x2180, 5, 1), (e.Mode, e.Major, e.Minor));
    }

    [RequiresToolFact("cpio")]
    public void GNU_cpio_lists_what_was_written()
    {
        var bytes = Archive(w => { w.AddFile("qtz/script", Encoding.ASCII.GetBytes("exit 0\n"), 0x1ED); w.AddSymlink("bin/sh", "busybox"); });
        var listing = ExternalTool.Run("cpio", ["-t", "--quiet"], Encoding.Latin1.GetString(bytes));
        Assert.Equal(["qtz", "qtz/script", "bin", "bin/sh"], listing.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

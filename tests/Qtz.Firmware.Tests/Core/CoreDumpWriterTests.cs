using FsCheck;
using FsCheck.Fluent;
using Qtz.Firmware.Elf;
using Qtz.Firmware.Elf.Core;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Firmware.Tests.Core;

public sealed class CoreDumpWriterTests
{
    private static readonly CoreDumpSegment[] Segments =
    [
        new(0x9580_0000, Filled(0x1000, 0x11)),
        new(0x9580_1000, Filled(0x2345, 0x22)),
        new(0x95A0_0000, Filled(0x10, 0x33)),
    ];

    private static byte[] Filled(int size, byte value) => Enumerable.Repeat(value, size).ToArray();

    [Fact]
    public void Header_is_an_elf32_core_with_the_machine_and_entry_the_caller_set()
    {
        var core = CoreDumpWriter.Write(CoreDumpFormat.QcomPas(0x9580_0000), Segments);
        var elf = ElfFile.Parse(core);
        Assert.Equal(ElfClass.Elf32, elf.Header.Class);
        Assert.Equal(CoreDumpWriter.ElfTypeCore, elf.Header.Type);
        Assert.Equal(CoreDumpFormat.MachineNone, elf.Header.Machine);
        Assert.Equal(0x9580_0000UL, elf.Header.Entry);
        Assert.Equal((ulong)ElfHeader.Elf32Size, elf.Header.PhOff);
        Assert.Equal(0, elf.Header.ShNum);
        Assert.Equal(1, core[6]); // EI_VERSION
        Assert.Equal(1, core[0x14]); // e_version
    }

    [Fact]
    public void One_pt_load_per_segment_with_the_device_address_and_size()
    {
        var core = CoreDumpWriter.Write(CoreDumpFormat.QcomPas(0), Segments);
        var elf = ElfFile.Parse(core);
        Assert.Equal(Segments.Length, elf.ProgramHeaders.Count);
        for (var i = 0; i < Segments.Length; i++)
        {
            var p = elf.ProgramHeaders[i];
            Assert.True(p.IsLoad);
            Assert.Equal(Segments[i].DeviceAddress, p.PhysicalAddress);
            Assert.Equal(Segments[i].DeviceAddress, p.VirtualAddress);
            Assert.Equal(Segments[i].Size, p.FileSize);
            Assert.Equal(Segments[i].Size, p.MemorySize);
            Assert.Equal(7u, p.Flags);
            Assert.Equal(0UL, p.Align);
        }
    }

    [Fact]
    public void Segment_bytes_sit_back_to_back_after_the_program_headers()
    {
        var core = CoreDumpWriter.Write(CoreDumpFormat.QcomPas(0), Segments);
        var elf = ElfFile.Parse(core);
        Assert.Equal((ulong)(ElfHeader.Elf32Size + (3 * ElfHeader.Elf32PhEntSize)), elf.ProgramHeaders[0].Offset);
        for (var i = 0; i < Segments.Length; i++)
        {
            var p = elf.ProgramHeaders[i];
            Assert.Equal(Segments[i].Data.ToArray(), core.AsSpan((int)p.Offset, (int)p.FileSize).ToArray());
        }

        Assert.Equal(CoreDumpWriter.SizeOf(ElfClass.Elf32, Segments), (ulong)core.Length);
    }

    [Fact]
    public void Elf64_cores_round_trip_too()
    {
        var core = CoreDumpWriter.Write(new CoreDumpFormat(ElfClass.Elf64, 164, 0x1_0000_0000), Segments);
        var elf = ElfFile.Parse(core);
        Assert.Equal(ElfClass.Elf64, elf.Header.Class);
        Assert.Equal(164, elf.Header.Machine);
        Assert.Equal(0x1_0000_0000UL, elf.Header.Entry);
        Assert.Equal(Segments.Length, elf.ProgramHeaders.Count);
    }

    [Fact]
    public void An_empty_segment_list_is_refused_like_remoteproc()
    {
        var error = Assert.Throws<ArgumentException>(() => CoreDumpWriter.Write(CoreDumpFormat.QcomPas(0), []));
        Assert.Contains("no dump segments", error.Message);
    }

    [Fact]
    public void A_device_address_beyond_32_bits_is_refused_for_elf32()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            CoreDumpWriter.Write(CoreDumpFormat.QcomPas(0), [new CoreDumpSegment(0x1_0000_0000, new byte[4])]));
        Assert.Contains("segment 0", error.Message);
    }

    [Fact]
    public void Any_segment_list_parses_back_with_the_same_addresses_and_sizes()
    {
        var gen = Gen.ListOf(Gen.Choose(0, 300)).Select(sizes => sizes.Take(8).Select((size, i) =>
            new CoreDumpSegment((ulong)i * 0x10_0000, new byte[size])).ToArray()).Where(a => a.Length > 0);
        Prop.ForAll(gen.ToArbitrary(), segments =>
        {
            var elf = ElfFile.Parse(CoreDumpWriter.Write(CoreDumpFormat.QcomPas(0), segments));
            return elf.ProgramHeaders.Select(p => (p.PhysicalAddress, p.FileSize))
                .SequenceEqual(segments.Select(s => (s.DeviceAddress, s.Size)));
        }).QuickCheckThrowOnFailure();
    }

    [RequiresToolFact("readelf")]
    public void Readelf_lists_every_segment_with_its_address_and_size()
    {
        using var dir = new TempDirectory();
        var path = dir.File("adsp.core");
        File.WriteAllBytes(path, CoreDumpWriter.Write(CoreDumpFormat.QcomPas(0x9580_0000), Segments));
        var run = ExternalTool.Run("readelf", ["-W", "-h", "-l", path]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("CORE (Core file)", run.StdOut);
        var loads = run.StdOut.Split('\n').Where(l => l.TrimStart().StartsWith("LOAD", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Segments.Length, loads.Length);
        for (var i = 0; i < Segments.Length; i++)
        {
            var columns = loads[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Segments[i].DeviceAddress, Convert.ToUInt64(columns[3], 16)); // PhysAddr
            Assert.Equal(Segments[i].Size, Convert.ToUInt64(columns[4], 16));          // FileSiz
            Assert.Equal(Segments[i].Size, Convert.ToUInt64(columns[5], 16));          // MemSiz
        }

        Assert.DoesNotContain("Warning", run.StdErr, StringComparison.OrdinalIgnoreCase);
    }
}

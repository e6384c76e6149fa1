using Qtz.Firmware.Images;
using Qtz.Firmware.ResourceTables;
using Qtz.Kernel.Remoteproc;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Kernel.Tests.Remoteproc;

/// <summary>GET_RSCTABLE's input is the image's own .resource_table (rproc_elf_load_rsc_table), empty only when it has none.</summary>
public sealed class RscTableInputTests
{
    private static readonly byte[] OwnTable = ResourceTable.FromDevMem([new DevMemResource(0x1e0000, 0x1e0000, 0x1000, 3, 0, "own-uart")]).ToBytes();

    [Fact]
    public void An_image_with_a_resource_table_section_sends_that_table_to_GET_RSCTABLE()
    {
        var image = ElfSections.AppendSection(RprocBench.Image, RprocElfResourceTable.SectionName, OwnTable);
        var bench = new RprocBench(new BenchOptions { Firmware = image });

        Assert.Equal(Errno.None, bench.Rproc.Boot());

        Assert.Equal(OwnTable, Assert.Single(bench.Tz.RscTableInputs));
        Assert.Contains(bench.Events, e => e.Message.Contains($".resource_table: {OwnTable.Length} bytes, 1 entries", StringComparison.Ordinal));
    }

    [Fact]
    public void An_image_without_one_sends_the_empty_sixteen_byte_table()
    {
        var bench = new RprocBench();

        Assert.Equal(Errno.None, bench.Rproc.Boot());

        Assert.Equal(new byte[16], Assert.Single(bench.Tz.RscTableInputs));
        Assert.Contains(bench.Events, e => e.Message.Contains("no resource table in the firmware (the image has no section headers)", StringComparison.Ordinal));
    }

    [Fact]
    public void Under_QHEE_no_table_is_read_or_sent()
    {
        var image = ElfSections.AppendSection(RprocBench.Image, RprocElfResourceTable.SectionName, OwnTable);
        var bench = new RprocBench(new BenchOptions { Kvm = false, Iommus = false, Firmware = image });

        Assert.Equal(Errno.None, bench.Rproc.Boot());

        Assert.Empty(bench.Tz.RscTableInputs);
    }

    [Theory]
    [InlineData(2u, 0u, 0u, "unsupported .resource_table version 2")]
    [InlineData(1u, 7u, 0u, "non-zero reserved bytes")]
    [InlineData(1u, 0u, 20u, "incomplete: 20 offsets")]
    public void A_malformed_section_counts_as_none_with_Linuxs_reason(uint version, uint reserved, uint count, string reason)
    {
        var table = (byte[])OwnTable.Clone();
        BitConverter.TryWriteBytes(table.AsSpan(0), version);
        if (count != 0) BitConverter.TryWriteBytes(table.AsSpan(4), count);
        BitConverter.TryWriteBytes(table.AsSpan(8), reserved);
        using var fw = FirmwareImage.FromMemory(ElfSections.AppendSection(RprocBench.Image, RprocElfResourceTable.SectionName, table), "adsp.mbn");

        Assert.Null(RprocElfResourceTable.Find(fw, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_running_past_the_end_of_the_file_is_truncated()
    {
        var image = ElfSections.AppendSection(RprocBench.Image, RprocElfResourceTable.SectionName, OwnTable);
        using var fw = FirmwareImage.FromMemory(image.AsSpan(0, image.Length - 1).ToArray(), "adsp.mbn");

        Assert.Null(RprocElfResourceTable.Find(fw, out var why));
        Assert.Contains("lies beyond", why, StringComparison.Ordinal);
    }
}

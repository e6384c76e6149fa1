using Qtz.DeviceTree;
using Qtz.Kernel.Remoteproc;
using Qtz.Soc;
using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Model;
using Qtz.Soc.Dsp;

namespace Qtz.Kernel.Tests.Remoteproc;

public sealed class ProbeTests
{
    [Fact]
    public void Probe_reads_carveout_iommus_and_defaults_the_firmware_name()
    {
        var bench = new RprocBench();

        Assert.Equal(RprocBench.Carveout, bench.Driver.Carveout);
        Assert.True(bench.Driver.HasIommu);
        Assert.True(bench.Rproc.HasIommu);
        Assert.True(bench.Driver.Context.UseTzMem);
        Assert.Equal((ushort)0x3000, bench.Driver.StreamId);
        Assert.Equal("adsp.mbn", bench.Rproc.Firmware);
        Assert.Equal("adsp", bench.Rproc.Name);
    }

    [Fact]
    public void Has_iommu_is_false_without_iommus()
    {
        var bench = new RprocBench(new BenchOptions { Kvm = false, Iommus = false });

        Assert.False(bench.Driver.HasIommu);
        Assert.False(bench.Driver.Context.UseTzMem);
    }

    [Fact]
    public void Firmware_name_in_the_node_overrides_the_PasData_default()
    {
        var bench = new RprocBench(new BenchOptions { EditNode = n => n.SetProperty("firmware-name", DtValues.String("qcom/sa8775p/adsp.mbn")) });

        Assert.Equal("qcom/sa8775p/adsp.mbn", bench.Rproc.Firmware);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(0)]
    public void Qcom_devmem_must_be_a_non_zero_multiple_of_4_cells(int cells)
    {
        var e = Assert.Throws<RemoteprocProbeException>(() => new RprocBench(new BenchOptions
        {
            EditNode = n => n.SetCells("qcom,devmem", Enumerable.Repeat(0x1000u, cells).ToArray()),
        }));

        Assert.Contains("/soc/remoteproc@30000000", e.Message, StringComparison.Ordinal);
        Assert.Contains("multiple of 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qcom_devmem_rows_are_parsed_when_present()
    {
        var bench = new RprocBench(new BenchOptions { DevmemInDt = true });

        Assert.Equal(RprocBench.AdspDevmem.Length, bench.Driver.Devmem.Count);
        Assert.Equal(0x149000u, bench.Driver.Devmem[2].PhysicalAddress);
    }

    [Fact]
    public void A_node_without_memory_region_is_refused_with_its_path()
    {
        var e = Assert.Throws<RemoteprocProbeException>(() => new RprocBench(new BenchOptions { EditNode = n => n.RemoveProperty("memory-region") }));

        Assert.Contains("memory-region", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Firmware_is_found_on_the_search_path_like_lib_firmware()
    {
        using var dir = new TempDirectory();
        var first = Path.Combine(dir.Path, "updates");
        var second = Path.Combine(dir.Path, "firmware");
        Directory.CreateDirectory(first);
        Directory.CreateDirectory(second);
        File.WriteAllBytes(Path.Combine(second, "adsp.mbn"), RprocBench.Image);
        var bench = new RprocBench();
        var driver = PasRemoteproc.Probe(bench.Config(searchPath: [first, second]));

        Assert.Equal(Errno.None, driver.Rproc.Boot());
    }

    [Fact]
    public void Missing_firmware_fails_the_boot_with_ENOENT_and_the_search_path()
    {
        using var dir = new TempDirectory();
        var bench = new RprocBench();
        var driver = PasRemoteproc.Probe(bench.Config(searchPath: [dir.Path]));

        Assert.Equal(Errno.ENOENT, driver.Rproc.Boot());

        Assert.Contains("adsp.mbn", driver.Rproc.LastError, StringComparison.Ordinal);
        Assert.Contains(dir.Path, driver.Rproc.LastError, StringComparison.Ordinal);
        Assert.Equal(0, driver.Rproc.PowerCount);
    }

    [Fact]
    public void A_truncated_image_fails_the_boot_with_a_cause_and_leaks_nothing()
    {
        var bench = new RprocBench();
        var driver = PasRemoteproc.Probe(bench.Config(firmware: name => Firmware.Images.FirmwareImage.FromMemory(RprocBench.Image.AsMemory(0, RprocBench.Image.Length - 0x100), name)));

        Assert.NotEqual(Errno.None, driver.Rproc.Boot());

        Assert.Contains("segment", driver.Rproc.LastError, StringComparison.Ordinal);
        Assert.True(driver.Counters.IsClean);
        Assert.Equal(DspState.Reset, bench.Dsp.State);
    }
}

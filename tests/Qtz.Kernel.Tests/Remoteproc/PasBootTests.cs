using Qtz.Firmware.Images;
using Qtz.Kernel.Remoteproc;
using Qtz.Soc;
using Xunit;
using Qtz.DeviceTree.Properties;
using Qtz.Firmware.Mdt;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Tests.Remoteproc;

public sealed class PasBootTests
{
    [Fact]
    public void Under_QHEE_the_dsp_boots_without_iommu_bridges_or_rsctable()
    {
        var bench = new RprocBench(new BenchOptions { Kvm = false, Iommus = false });

        Assert.Equal(Errno.None, bench.Rproc.Add());

        Assert.Equal(RprocState.Running, bench.Rproc.State);
        Assert.Equal("running", bench.Rproc.StateName);
        Assert.Equal(DspState.Running, bench.Dsp.State);
        Assert.False(bench.Driver.HasIommu);
        Assert.Null(bench.Rproc.Domain);
        Assert.Equal(["INIT_IMAGE 1", "MEM_SETUP 1", "AUTH_AND_RESET 1"], bench.Tz.Log);
        Assert.Equal(0, bench.Driver.Counters.MetadataBuffers);
    }

    [Fact]
    public void At_EL2_with_the_merged_design_the_order_is_rsctable_init_map_bridge_auth_delete()
    {
        var bench = new RprocBench();

        Assert.Equal(Errno.None, bench.Rproc.Boot());

        Assert.Equal(RprocState.Running, bench.Rproc.State);
        Assert.Equal(
            ["GET_RSCTABLE 1", $"GET_RSCTABLE in 0x10 bytes (num 0) out 0x4000", "INIT_IMAGE 1", "MEM_SETUP 1",
             $"BRIDGE_CREATE {RprocBench.Carveout.Base}+0x{RprocBench.Carveout.Size:x}", "AUTH_AND_RESET 1", "BRIDGE_DELETE"],
            bench.Tz.Log.Where(l => !l.StartsWith("BRIDGE_CREATE 0x88", StringComparison.Ordinal)).Select(l => l.StartsWith("BRIDGE_DELETE", StringComparison.Ordinal) ? "BRIDGE_DELETE" : l).ToArray());
        var mappings = bench.Rproc.Mappings;
        Assert.Equal(RprocBench.AdspDevmem.Length + 1, mappings.Count);
        var carveout = Assert.Single(mappings, m => m.Source == "carveout");
        Assert.Equal(RprocBench.Carveout.Base.Value, carveout.DeviceAddress.Value);
        Assert.Equal(Kernel.Iommu.IommuProt.Read | Kernel.Iommu.IommuProt.Write, carveout.Protection);
        Assert.Equal(RprocBench.Carveout.Base, bench.Rproc.Domain!.IovaToPhys(new Iova(RprocBench.Carveout.Base.Value)));
        Assert.Equal(new PhysAddr(0x149000), bench.Rproc.Domain.IovaToPhys(new Iova(0x149000)));
        Assert.Equal(new PasClientCounters(0, 0, 1, 1), bench.Scm.PasCounters);
    }

    [Fact]
    public void Segments_are_written_into_the_carveout_through_the_bus_with_zero_fill()
    {
        var bench = new RprocBench(new BenchOptions { Kvm = false, Iommus = false });
        bench.Rproc.Boot();

        using var fw = FirmwareImage.FromMemory(RprocBench.Image, "adsp.mbn");
        var plan = global::Qtz.Firmware.Mdt.MdtLoadPlan.Create(fw.Elf, RprocBench.Carveout.Base.Value, RprocBench.Carveout.Size);
        foreach (var segment in plan.Segments)
        {
            var expected = fw.ReadSegment(segment.Index);
            var actual = new byte[segment.MemorySize];
            bench.Bus.Read(BusMaster.SecureWorld, RprocBench.Carveout.Base + segment.CarveoutOffset, actual);
            Assert.Equal(expected, actual.AsSpan(0, expected.Length).ToArray());
            Assert.All(actual.Skip(expected.Length), b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void The_seed_design_maps_carveout_and_qcom_devmem_at_start_without_GET_RSCTABLE()
    {
        var bench = new RprocBench(new BenchOptions { Design = PasEl2Design.Devmem, DevmemInDt = true });

        Assert.Equal(Errno.None, bench.Rproc.Boot());

        Assert.DoesNotContain(bench.Tz.Log, l => l.StartsWith("GET_RSCTABLE", StringComparison.Ordinal));
        Assert.Equal(RprocBench.AdspDevmem.Length, bench.Rproc.Mappings.Count(m => m.Source == "qcom,devmem"));
        Assert.Single(bench.Rproc.Mappings, m => m.Source == "carveout (seed)");
        Assert.Null(bench.Rproc.CachedTable);
    }

    [Fact]
    public void The_seed_SID_variant_puts_sid_bits_in_iova_bits_32_to_35()
    {
        var bench = new RprocBench(new BenchOptions { Design = PasEl2Design.Devmem, DevmemInDt = true, SidInIova = true, Sid = 0x1803 });

        Assert.Equal(Errno.None, bench.Rproc.Boot());

        Assert.All(bench.Rproc.Mappings, m => Assert.Equal(3UL, m.DeviceAddress.Value >> 32));
        Assert.Equal(RprocBench.Carveout.Base, bench.Rproc.Domain!.IovaToPhys(new Iova(RprocBench.Carveout.Base.Value | (3UL << 32))));
    }

    [Fact]
    public void Without_iommus_at_EL2_the_dsp_faults_and_boot_fails_after_the_ready_timeout_naming_the_crash()
    {
        var bench = new RprocBench(new BenchOptions { Iommus = false });
        bench.Tz.RequireCarveoutBridgeAtEl2 = false;

        var ret = bench.Rproc.Boot();

        Assert.True(ret == Errno.ETIMEDOUT, bench.Rproc.LastError);
        Assert.Equal(RprocState.Offline, bench.Rproc.State);
        Assert.StartsWith("ready timeout after 5000 ms", bench.Rproc.LastError, StringComparison.Ordinal);
        Assert.Contains("fatal error", bench.Rproc.LastError, StringComparison.Ordinal);
        Assert.Equal(RprocCrashType.FatalError, bench.Rproc.LastCrash!.Value.Type);
        Assert.Equal("SHUTDOWN 1", bench.Tz.Log[^1]);
        Assert.Equal(DspState.Reset, bench.Dsp.State);
        Assert.True(bench.Driver.Counters.IsClean);
        Assert.Equal(0, bench.Rproc.PowerCount);
    }

    [Fact]
    public void Without_iommus_at_EL2_a_TZ_that_wants_the_carveout_bridge_refuses_AUTH_AND_RESET()
    {
        var bench = new RprocBench(new BenchOptions { Iommus = false });

        Assert.Equal(Errno.EINVAL, bench.Rproc.Boot());

        Assert.Equal("AUTH_AND_RESET refused: -EINVAL", bench.Rproc.LastError);
        Assert.DoesNotContain(bench.Tz.Log, l => l.StartsWith("BRIDGE_CREATE 0x959", StringComparison.Ordinal));
        Assert.True(bench.Driver.Counters.IsClean);
    }

    [Fact]
    public void At_EL2_with_iommus_the_metadata_comes_from_the_bridged_tzmem_pool()
    {
        var bench = new RprocBench();
        bench.Tz.StrictEl2Metadata = true;

        Assert.Equal(Errno.None, bench.Rproc.Boot());
        Assert.True(bench.Driver.Context.UseTzMem);
    }

    [Fact]
    public void At_EL2_without_iommus_the_dma_metadata_buffer_is_refused_by_a_strict_TZ()
    {
        var bench = new RprocBench(new BenchOptions { Iommus = false });
        bench.Tz.StrictEl2Metadata = true;

        Assert.Equal(Errno.EINVAL, bench.Rproc.Boot());

        Assert.Equal("INIT_IMAGE refused: -EINVAL", bench.Rproc.LastError);
        Assert.Equal(0, bench.Scm.PasCounters.LiveMetadataBuffers);
    }

    [Fact]
    public void A_stream_the_resource_table_does_not_map_is_an_mmufault_named_in_the_boot_failure()
    {
        var bench = new RprocBench(new BenchOptions { TableDevmem = RprocBench.AdspDevmem[..2] });

        var ret = bench.Rproc.Boot();

        Assert.Equal(Errno.ETIMEDOUT, ret);
        Assert.Contains("mmufault at iova 0x149000", bench.Rproc.LastError, StringComparison.Ordinal);
        Assert.Contains(bench.Rproc.Crashes, c => c.Type == RprocCrashType.MmuFault);
        Assert.True(bench.Driver.Counters.IsClean);
        Assert.Equal(RprocState.Offline, bench.Rproc.State);
    }

    [Fact]
    public void A_refused_AUTH_AND_RESET_unwinds_everything_and_says_why()
    {
        var bench = new RprocBench();
        bench.Tz.RefuseAuth = -22;

        var ret = bench.Rproc.Boot();

        Assert.Equal(Errno.EINVAL, ret);
        Assert.Equal("AUTH_AND_RESET refused: -EINVAL", bench.Rproc.LastError);
        Assert.Equal(DspState.Reset, bench.Dsp.State);
        Assert.True(bench.Driver.Counters.IsClean);
        Assert.DoesNotContain(bench.Tz.Bridges, b => b.Range == RprocBench.Carveout);
        Assert.Equal(0, bench.Driver.Counters.ScmPoolChunks);
    }

    [Fact]
    public void Stop_sets_the_stop_bit_waits_for_stop_ack_clears_it_then_SHUTDOWN_and_frees_everything()
    {
        var bench = new RprocBench();
        bench.Rproc.Boot();
        var stopBitSeen = new List<bool>();
        bench.Signals.ToDsp.BitChanged += (bit, value) => stopBitSeen.Add(value);

        Assert.Equal(Errno.None, bench.Rproc.Shutdown());

        Assert.Equal([true, false], stopBitSeen);
        Assert.Contains("stop-ack", bench.Steps, StringComparison.Ordinal);
        Assert.Equal("SHUTDOWN 1", bench.Tz.Log[^1]);
        Assert.Equal(RprocState.Offline, bench.Rproc.State);
        Assert.True(bench.Driver.Counters.IsClean);
        Assert.Null(bench.Rproc.Domain);
        Assert.Equal(0, bench.Driver.Counters.ScmPoolChunks);
    }

    [Fact]
    public void A_hung_dsp_is_stopped_after_the_5_s_stop_ack_timeout()
    {
        var bench = new RprocBench();
        bench.Rproc.Boot();
        bench.Dsp.InjectHang();
        var before = bench.Clock.Now;

        Assert.Equal(Errno.None, bench.Rproc.Shutdown());

        Assert.Equal(TimeSpan.FromSeconds(5), bench.Clock.Now - before);
        Assert.Contains("timed out on wait for stop-ack", bench.Steps, StringComparison.Ordinal);
        Assert.True(bench.Driver.Counters.IsClean);
    }

    [Fact]
    public void The_ready_wait_runs_in_virtual_time_and_stops_when_ready_arrives()
    {
        var bench = new RprocBench();
        bench.Dsp.BootLatency = TimeSpan.FromMilliseconds(4900);

        Assert.Equal(Errno.None, bench.Rproc.Boot());

        Assert.Equal(TimeSpan.FromMilliseconds(4900), bench.Rproc.RunningSince!.Value - default(VirtualTime));
    }

    [Fact]
    public void A_dsp_that_never_says_ready_times_out_after_exactly_5_s_and_gets_SHUTDOWN()
    {
        var bench = new RprocBench();
        bench.Dsp.BootLatency = TimeSpan.FromSeconds(6);

        Assert.Equal(Errno.ETIMEDOUT, bench.Rproc.Boot());

        Assert.Equal("ready timeout after 5000 ms", bench.Rproc.LastError);
        Assert.Equal(TimeSpan.FromSeconds(5), bench.Clock.Now - default(VirtualTime));
        Assert.Equal(["AUTH_AND_RESET 1", "BRIDGE_DELETE", "SHUTDOWN 1"], bench.Tz.Log[^3..].Select(l => l.Split(" 0x")[0]));
    }
}

using Qtz.Firmware.ResourceTables;
using Qtz.Kernel;
using Qtz.Secure;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Pas;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using static Qtz.Platform.Tests.Pas.TwoWorldPasBench;

namespace Qtz.Platform.Tests.Pas;

/// <summary>Linux's PAS calls (hand-written over the kernel's SCM client) against TrustZone's PAS, with and without QHEE.</summary>
public sealed class PasTwoWorldTests
{
    private static void AssertNothingLeft(TwoWorldPasBench bench)
    {
        Assert.Equal(0, bench.Pas.LockedMetadataCount);
        Assert.Equal(0, bench.Pas.LockedCarveoutCount);
        Assert.DoesNotContain(bench.World.Bridges.Live, b => b.Range.Overlaps(Carveout));
        if (bench.Qhee is { } q)
        {
            Assert.Equal(0, q.ActiveStreams);
            Assert.Equal(0, q.PageTablePagesInUse);
            Assert.Equal(0, q.LiveBridges);
        }
    }

    [Theory]
    [InlineData(PasMode.Qhee)]
    [InlineData(PasMode.Kvm)]
    public void Linux_boots_and_stops_the_ADSP_through_PAS_and_nothing_outlives_the_stop(PasMode mode)
    {
        var bench = new TwoWorldPasBench(mode);
        var ctx = bench.NewContext();
        Assert.Equal(1, bench.Linux.Supported(AdspPasId));
        Assert.Equal(0, bench.Load(ctx, SignedAdsp()));
        Assert.Equal(0, bench.Linux.PrepareAndAuthReset(ctx));
        Assert.True(bench.Clock.RunUntil(() => bench.Core.State == DspState.Running, TimeSpan.FromSeconds(5)));
        bench.Linux.MetadataRelease(ctx); // after "ready", as qcom_q6v5_pas does

        var data = new byte[16];
        Assert.Equal(BusStatus.Denied, bench.Bus.Read(bench.Scm.Cpu, Carveout.Base, data));
        Assert.Equal(new byte[16], data);
        Assert.Equal(mode == PasMode.Qhee ? 1 : 0, bench.Qhee?.ActiveStreams ?? 0);

        Assert.Equal(0, bench.Linux.Shutdown(AdspPasId));
        Assert.Equal(DspState.Reset, bench.Core.State);
        AssertNothingLeft(bench);
        Assert.Equal(KernelDma.Size, bench.Dma.FreeBytes + (ulong)bench.Scm.Pool!.Areas.Sum(a => (long)a.Range.Size));
    }

    [Fact]
    public void At_EL2_AUTH_AND_RESET_without_the_carveout_bridge_is_refused_with_the_PAS_code()
    {
        var bench = new TwoWorldPasBench(PasMode.Kvm);
        var ctx = bench.NewContext();
        Assert.Equal(0, bench.Load(ctx, SignedAdsp()));
        Assert.Equal((int)PasErrors.CarveoutNotBridged, bench.Linux.AuthAndReset(AdspPasId));
        Assert.Equal(0, bench.Core.BootCount);
    }

    [Fact]
    public void At_EL2_plain_DMA_metadata_is_refused_with_EINVAL()
    {
        var bench = new TwoWorldPasBench(PasMode.Kvm);
        var ctx = new PasContext(AdspPasId, Carveout, useTzmem: false);
        Assert.Equal(-ScmErrno.EINVAL, bench.Load(ctx, SignedAdsp()));
        Assert.Null(ctx.DmaBuffer); // freed on failure, as Linux does
    }

    [Fact]
    public void Under_QHEE_bridged_tzmem_metadata_is_refused_with_EINVAL()
    {
        var bench = new TwoWorldPasBench(PasMode.Qhee);
        var ctx = new PasContext(AdspPasId, Carveout, useTzmem: true);
        Assert.Equal(-ScmErrno.EINVAL, bench.Load(ctx, SignedAdsp()));
    }

    [Theory]
    [InlineData(PasMode.Qhee)]
    [InlineData(PasMode.Kvm)]
    public void A_flipped_byte_in_a_segment_keeps_the_DSP_in_reset_and_leaves_nothing_mapped(PasMode mode)
    {
        var bench = new TwoWorldPasBench(mode);
        var ctx = bench.NewContext();
        var signed = SignedAdsp();
        var seg = FirstSegment(signed);
        Assert.Equal(0, bench.Load(ctx, signed, copy => copy[(int)seg.Offset + 7] ^= 0x40));
        Assert.Equal((int)PasErrors.SegmentHashMismatch, bench.Linux.PrepareAndAuthReset(ctx));
        Assert.Equal(0, bench.Core.BootCount);
        bench.Linux.MetadataRelease(ctx);
        Assert.Equal(0, bench.Linux.Shutdown(AdspPasId)); // Linux's unwind: TZ drops its copy of the metadata
        AssertNothingLeft(bench);
    }

    [Fact]
    public void Wrong_SW_ID_is_refused_at_INIT_IMAGE_with_the_PAS_code()
    {
        var bench = new TwoWorldPasBench(PasMode.Qhee);
        var ctx = bench.NewContext();
        Assert.Equal((int)PasErrors.WrongSoftwareId, bench.Load(ctx, SignedAdsp(softwareId: 0x17)));
    }

    [Fact]
    public void GET_RSCTABLE_through_the_kernels_ext_args_path_returns_the_devmem_entries()
    {
        var bench = new TwoWorldPasBench(PasMode.Kvm);
        Assert.Equal(0, bench.Linux.GetResourceTable(bench.NewContext(), out var bytes, out var calls));
        Assert.Equal(1, calls);
        var devmem = Assert.Single(ResourceTable.Parse(bytes).DevMem);
        Assert.Equal(0x8F00_0000u, devmem.PhysicalAddress);
        Assert.Equal("lpass", devmem.Name);
    }

    [Fact]
    public void SHUTDOWN_of_a_DSP_that_was_never_started_is_refused_with_the_PAS_code()
    {
        var bench = new TwoWorldPasBench(PasMode.Qhee);
        Assert.Equal((int)PasErrors.WrongState, bench.Linux.Shutdown(AdspPasId));
    }
}

using Qtz.Firmware.ResourceTables;
using Qtz.Kernel.Remoteproc;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tests.Remoteproc;

public sealed class ScmPasTests
{
    private static readonly byte[] Metadata = [0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3];

    [Fact]
    public void Init_image_without_tzmem_uses_a_dma_buffer_kept_in_the_context_until_release()
    {
        var bench = new RprocBench(new BenchOptions { Kvm = false, Iommus = false });
        var ctx = bench.Scm.PasContextAlloc(RprocBench.PasId, RprocBench.Carveout.Base, RprocBench.Carveout.Size);

        Assert.Equal(0, bench.Scm.PasInitImage(RprocBench.PasId, Metadata, ctx));

        var range = Assert.NotNull(ctx.MetadataRange);
        Assert.True(RprocBench.DmaRange.Contains(range.Base));
        Assert.Equal(1, bench.Scm.PasCounters.LiveMetadataBuffers);
        bench.Scm.PasMetadataRelease(ctx);
        bench.Scm.PasMetadataRelease(ctx);
        Assert.False(ctx.HasMetadata);
        Assert.Equal(0, bench.Scm.PasCounters.LiveMetadataBuffers);
    }

    [Fact]
    public void Init_image_with_tzmem_takes_a_pool_chunk_and_release_returns_it()
    {
        var bench = new RprocBench();
        var ctx = bench.Scm.PasContextAlloc(RprocBench.PasId, RprocBench.Carveout.Base, RprocBench.Carveout.Size);
        ctx.UseTzMem = true;

        Assert.Equal(0, bench.Scm.PasInitImage(RprocBench.PasId, Metadata, ctx));

        Assert.Equal(1, bench.Scm.Pool!.LiveChunks);
        bench.Scm.PasMetadataRelease(ctx);
        Assert.Equal(0, bench.Scm.Pool.LiveChunks);
    }

    [Fact]
    public void A_refused_init_image_or_one_without_context_frees_the_buffer_at_once()
    {
        var bench = new RprocBench(new BenchOptions { Kvm = false, Iommus = false });
        var free = bench.Scm.Dma.FreeBytes;

        Assert.Equal(-95, bench.Scm.PasInitImage(99, Metadata, bench.Scm.PasContextAlloc(99, RprocBench.Carveout.Base, 0x1000)));
        Assert.Equal(0, bench.Scm.PasInitImage(RprocBench.PasId, Metadata, null));

        Assert.Equal(free, bench.Scm.Dma.FreeBytes);
        Assert.Equal(0, bench.Scm.PasCounters.LiveMetadataBuffers);
    }

    [Fact]
    public void Prepare_and_auth_reset_without_tzmem_is_a_plain_AUTH_AND_RESET()
    {
        var bench = new RprocBench(new BenchOptions { Kvm = false, Iommus = false });
        var ctx = bench.Scm.PasContextAlloc(RprocBench.PasId, RprocBench.Carveout.Base, RprocBench.Carveout.Size);
        bench.Scm.PasInitImage(RprocBench.PasId, Metadata, ctx);
        bench.Tz.Log.Clear();

        Assert.Equal(0, bench.Scm.PasPrepareAndAuthReset(ctx));

        Assert.Equal(["AUTH_AND_RESET 1"], bench.Tz.Log);
    }

    [Fact]
    public void Pas_results_are_ret_or_result0()
    {
        var bench = new RprocBench();
        bench.Tz.RefuseAuth = 7;
        var ctx = bench.Scm.PasContextAlloc(RprocBench.PasId, RprocBench.Carveout.Base, RprocBench.Carveout.Size);
        ctx.UseTzMem = true;
        bench.Scm.PasInitImage(RprocBench.PasId, Metadata, ctx);

        Assert.Equal(7, bench.Scm.PasPrepareAndAuthReset(ctx));
        Assert.Equal(-95, bench.Scm.PasShutdown(42)); // status -4 -> -EOPNOTSUPP
        Assert.Equal(new PasClientCounters(1, 0, 1, 1), bench.Scm.PasCounters);
    }

    [Fact]
    public void Supported_asks_IS_CALL_AVAIL_then_IS_SUPPORTED()
    {
        var bench = new RprocBench();
        Assert.True(bench.Scm.PasSupported(RprocBench.PasId));
        Assert.False(bench.Scm.PasSupported(77));
    }

    [Fact]
    public void Get_rsc_table_sends_an_empty_16_byte_table_and_a_16_KiB_buffer()
    {
        var bench = new RprocBench();

        Assert.Equal(0, bench.Scm.PasGetRscTable(bench.Driver.Context, [], out var table));

        Assert.Equal(["GET_RSCTABLE 1", "GET_RSCTABLE in 0x10 bytes (num 0) out 0x4000"], bench.Tz.Log.Where(l => l.StartsWith("GET", StringComparison.Ordinal)));
        Assert.Equal(RprocBench.AdspDevmem, ResourceTable.Parse(table).DevMem.ToArray());
        Assert.Equal(0, bench.Scm.Pool!.LiveChunks);
    }

    [Fact]
    public void Get_rsc_table_retries_once_with_the_size_TZ_asks_for()
    {
        var bench = new RprocBench { };
        var many = Enumerable.Range(0, 400).Select(i => new DevMemResource((uint)(0x200000 + i * 0x1000), (uint)(0x200000 + i * 0x1000), 0x1000, 3, 0, "r" + i)).ToArray();
        bench.Tz.Peripherals[RprocBench.PasId] = new FakePasPeripheral
        {
            Carveout = RprocBench.Carveout, Dsp = bench.Dsp, Devmem = many, BootImage = () => throw new InvalidOperationException(),
        };

        Assert.Equal(0, bench.Scm.PasGetRscTable(bench.Driver.Context, [], out var table));

        var calls = bench.Tz.Log.Where(l => l.StartsWith("GET_RSCTABLE in", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, calls.Length);
        Assert.EndsWith($"out 0x{table!.Length:x}", calls[1], StringComparison.Ordinal);
        Assert.Equal(400, ResourceTable.Parse(table).DevMem.Count());
    }

    [Fact]
    public void Get_rsc_table_gives_up_after_one_retry_with_EOVERFLOW()
    {
        var bench = new RprocBench();
        var claimed = 0x5000UL;
        bench.Tz.ClaimedRscTableSize = _ => claimed += 0x1000;

        Assert.Equal(-(int)Errno.EOVERFLOW, bench.Scm.PasGetRscTable(bench.Driver.Context, [], out var table));

        Assert.Null(table);
        Assert.Equal(2, bench.Tz.Log.Count(l => l.StartsWith("GET_RSCTABLE in", StringComparison.Ordinal)));
    }

    [Fact]
    public void Get_rsc_table_refuses_a_table_over_1_GiB_with_E2BIG()
    {
        var bench = new RprocBench();
        bench.Tz.ClaimedRscTableSize = _ => (1UL << 30) + 1;

        Assert.Equal(-(int)Errno.E2BIG, bench.Scm.PasGetRscTable(bench.Driver.Context, [], out _));
    }

    [Fact]
    public void An_old_TZ_answering_GET_RSCTABLE_with_an_error_aborts_the_boot_with_the_cause()
    {
        var bench = new RprocBench();
        bench.Tz.RscTableStatus = -1;

        Assert.Equal(Errno.EIO, bench.Rproc.Boot());

        Assert.Equal("GET_RSCTABLE refused: -EIO", bench.Rproc.LastError);
        Assert.True(bench.Driver.Counters.IsClean);
        Assert.DoesNotContain(bench.Tz.Log, l => l.StartsWith("INIT_IMAGE", StringComparison.Ordinal));
    }
}

using Qtz.Kernel.Remoteproc;
using Xunit;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tests.Remoteproc;

public sealed class LeakTests
{
    public static TheoryData<bool, PasEl2Design> Modes => new()
    {
        { false, PasEl2Design.RscTable },
        { true, PasEl2Design.RscTable },
        { true, PasEl2Design.Devmem },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_hundred_start_stop_cycles_leak_no_metadata_bridge_tzmem_chunk_mapping_or_page(bool kvm, PasEl2Design design)
    {
        var bench = new RprocBench(new BenchOptions { Kvm = kvm, Iommus = kvm, Design = design, DevmemInDt = true });
        var pagesBefore = bench.Pages?.AllocatedPages ?? 0;
        var dmaFree = 0UL;
        var poolSize = 0UL;

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(Errno.None, bench.Rproc.Boot());
            Assert.Equal(Errno.None, bench.Rproc.Shutdown());
            if (i == 0) (poolSize, dmaFree) = (bench.Scm.Pool!.CurrentSize, bench.Scm.Dma.FreeBytes);
            var counters = bench.Driver.Counters;
            Assert.True(counters.IsClean, $"cycle {i}: {counters}");
            Assert.Equal(0, counters.ScmPoolChunks);
        }

        Assert.DoesNotContain(bench.Tz.Bridges, b => b.Range.Base == RprocBench.Carveout.Base);
        Assert.Equal(poolSize, bench.Scm.Pool!.CurrentSize);
        Assert.Equal(dmaFree, bench.Scm.Dma.FreeBytes);
        Assert.Equal(new PasClientCounters(0, 0, kvm ? 100 : 0, kvm ? 100 : 0), bench.Scm.PasCounters);
        Assert.Equal(pagesBefore, bench.Pages?.AllocatedPages ?? 0);
    }

    [Fact]
    public void Failed_boots_leak_nothing_either()
    {
        var bench = new RprocBench();
        bench.Tz.RefuseAuth = -1;
        for (var i = 0; i < 20; i++)
        {
            Assert.NotEqual(Errno.None, bench.Rproc.Boot());
            Assert.True(bench.Driver.Counters.IsClean);
            Assert.Equal(0, bench.Driver.Counters.ScmPoolChunks);
        }
    }
}

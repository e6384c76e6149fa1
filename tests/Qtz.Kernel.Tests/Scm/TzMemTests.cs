using Qtz.Kernel;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.Tests.Scm;

public sealed class TzMemTests
{
    private const ulong Page = 0x1000;

    private static TzMemPool NewPool(KernelScmBench bench, TzMemPoolConfig config)
    {
        Assert.Equal(0, bench.Scm.TzMem.CreatePool(config, out var pool));
        return pool!;
    }

    [Fact]
    public void Probe_enables_SHM_bridges_after_checking_the_call_is_available()
    {
        var bench = new KernelScmBench(probe: false);
        Assert.Equal(0, bench.Scm.Probe());
        Assert.True(bench.Scm.TzMem.UsingShmBridge);
        Assert.Equal([0xC2000601UL, 0x42000601, 0x42000C1C], bench.Tz.Calls.Select(c => c.Call.X0));
        Assert.Equal(0x0200_0C1CUL, bench.Tz.Calls[1].Call.X2);
    }

    [Fact]
    public void Enabling_twice_is_EBUSY()
    {
        var bench = new KernelScmBench();
        Assert.Equal(-ScmErrno.EBUSY, bench.Scm.TzMem.Enable());
    }

    [Fact]
    public void TZ_answering_not_supported_leaves_bridges_off_without_failing_the_probe()
    {
        var bench = new KernelScmBench(configure: tz => tz.EnableResult = 4);
        Assert.False(bench.Scm.TzMem.UsingShmBridge);
        Assert.Equal(-ScmErrno.EOPNOTSUPP, bench.Scm.ShmBridgeEnable());
    }

    [Fact]
    public void Missing_enable_call_leaves_bridges_off()
    {
        var bench = new KernelScmBench(configure: tz => tz.Available = arg => arg != 0x0200_0C1C);
        Assert.False(bench.Scm.TzMem.UsingShmBridge);
    }

    [Theory]
    [InlineData("qcom,sdm845")]
    [InlineData("qcom,sc7180")]
    public void Blocklisted_machines_never_ask_for_bridges(string machine)
    {
        var bench = new KernelScmBench(new ScmOptions { Machine = machine }, probe: false);
        Assert.Equal(0, bench.Scm.Probe());
        Assert.False(bench.Scm.TzMem.UsingShmBridge);
        Assert.DoesNotContain(bench.Tz.Calls, c => c.Call.X0 == 0x42000C1C);
    }

    [Fact]
    public void Generic_mode_makes_no_bridge_calls()
    {
        var bench = new KernelScmBench(new ScmOptions { TzMemMode = TzMemMode.Generic }, probe: false);
        Assert.Equal(0, bench.Scm.Probe());
        using var buffer = bench.Scm.Pool!.Allocate(100);
        Assert.NotNull(buffer);
        Assert.Empty(bench.Tz.Bridges);
        Assert.Equal(0UL, bench.Scm.Pool.Areas.Single().BridgeHandle);
    }

    [Fact]
    public void Each_area_gets_one_bridge_packed_as_qcom_tzmem_does()
    {
        var bench = new KernelScmBench();
        using var buffer = bench.Scm.Pool!.Allocate(0x1800);
        var area = bench.Scm.Pool.Areas.Single();
        Assert.Equal(0x2000UL, area.Range.Size);
        var create = bench.Tz.Calls.Single(c => c.Call.X0 == 0x42000C1E).Call;
        var pa = area.Range.Base.Value;
        Assert.Equal((4UL, pa | 6, pa | 6, 0x2000UL | (1 << 9), 3UL), (create.X1, create.X2, create.X3, create.X4, create.X5));
        Assert.Equal(0x42000C1Eu, create.FunctionId.Value);
        Assert.Equal(bench.Tz.Bridges.Single().Handle, area.BridgeHandle);
    }

    [Fact]
    public void The_SCM_pool_grows_on_demand_up_to_256_KiB()
    {
        var bench = new KernelScmBench();
        var pool = bench.Scm.Pool!;
        Assert.Equal(0UL, pool.CurrentSize);
        var chunks = Enumerable.Range(0, 64).Select(_ => pool.Allocate(Page)).ToList();
        Assert.All(chunks, Assert.NotNull);
        Assert.Equal(256UL * 1024, pool.CurrentSize);
        Assert.Equal(64, pool.Areas.Count);
        Assert.Null(pool.Allocate(1));
        Assert.Equal(64, bench.Tz.Bridges.Count);
    }

    [Fact]
    public void Allocation_of_zero_bytes_is_null_and_sizes_round_up_to_pages()
    {
        var bench = new KernelScmBench();
        Assert.Null(bench.Scm.Pool!.Allocate(0));
        using var one = bench.Scm.Pool.Allocate(1);
        Assert.Equal((Page, 1UL), (one!.Size, one.RequestedSize));
        Assert.True(one.Address.IsAligned(Page));
    }

    [Fact]
    public void A_static_pool_never_grows()
    {
        var bench = new KernelScmBench();
        var pool = NewPool(bench, new TzMemPoolConfig(2 * Page, TzMemPolicy.Static));
        Assert.NotNull(pool.Allocate(Page));
        Assert.NotNull(pool.Allocate(Page));
        Assert.Null(pool.Allocate(Page));
        Assert.Single(pool.Areas);
    }

    [Fact]
    public void A_multiplier_pool_grows_by_current_size_times_increment()
    {
        var bench = new KernelScmBench();
        var pool = NewPool(bench, new TzMemPoolConfig(Page, TzMemPolicy.Multiplier, Increment: 2));
        pool.Allocate(Page);
        pool.Allocate(Page);
        Assert.Equal([Page, 2 * Page], pool.Areas.Select(a => a.Range.Size));
        pool.Allocate(2 * Page);
        pool.Allocate(Page);
        Assert.Equal([Page, 2 * Page, 6 * Page], pool.Areas.Select(a => a.Range.Size));
    }

    [Fact]
    public void Max_size_is_checked_against_the_request_before_the_multiplier_scales_it()
    {
        var bench = new KernelScmBench();
        var pool = NewPool(bench, new TzMemPoolConfig(Page, TzMemPolicy.Multiplier, Increment: 4, MaxSize: 2 * Page));
        pool.Allocate(Page);
        Assert.NotNull(pool.Allocate(Page));
        Assert.Equal(5 * Page, pool.CurrentSize);
    }

    [Theory]
    [InlineData(0UL, TzMemPolicy.Static, 0UL)]
    [InlineData(Page, TzMemPolicy.Multiplier, 0UL)]
    [InlineData(Page, (TzMemPolicy)7, 0UL)]
    public void Pool_configs_the_policy_cannot_work_with_are_EINVAL(ulong initial, TzMemPolicy policy, ulong increment)
    {
        var bench = new KernelScmBench();
        Assert.Equal(-ScmErrno.EINVAL, bench.Scm.TzMem.CreatePool(new TzMemPoolConfig(initial, policy, increment), out var pool));
        Assert.Null(pool);
    }

    [Fact]
    public void Best_fit_picks_the_smallest_free_extent_that_fits()
    {
        var bench = new KernelScmBench();
        var pool = NewPool(bench, new TzMemPoolConfig(16 * Page, TzMemPolicy.Static));
        var a = pool.Allocate(3 * Page)!;
        var keep1 = pool.Allocate(Page)!;
        var b = pool.Allocate(Page)!;
        var keep2 = pool.Allocate(Page)!;
        a.Dispose();
        b.Dispose();
        var fit = pool.Allocate(Page)!;
        Assert.Equal(b.Address, fit.Address);
        var big = pool.Allocate(3 * Page)!;
        Assert.Equal(a.Address, big.Address);
        _ = (keep1, keep2);
    }

    [Fact]
    public void Freed_neighbours_merge_back_into_one_extent()
    {
        var bench = new KernelScmBench();
        var pool = NewPool(bench, new TzMemPoolConfig(4 * Page, TzMemPolicy.Static));
        var chunks = Enumerable.Range(0, 4).Select(_ => pool.Allocate(Page)!).ToList();
        foreach (var i in new[] { 1, 3, 0, 2 }) chunks[i].Dispose();
        Assert.NotNull(pool.Allocate(4 * Page));
    }

    [Fact]
    public void Freeing_a_buffer_twice_is_a_warning_not_a_crash()
    {
        var bench = new KernelScmBench();
        var buffer = bench.Scm.Pool!.Allocate(Page)!;
        buffer.Dispose();
        buffer.Dispose();
        Assert.Single(bench.Scm.TzMem.Warnings);
    }

    [Fact]
    public void Freeing_a_pool_deletes_its_bridges_and_returns_its_memory()
    {
        var bench = new KernelScmBench();
        var free = bench.Dma.FreeBytes;
        var pool = NewPool(bench, new TzMemPoolConfig(0, TzMemPolicy.OnDemand));
        pool.Allocate(Page);
        pool.Allocate(2 * Page);
        Assert.Equal(2, bench.Tz.Bridges.Count);
        pool.Dispose();
        Assert.Empty(bench.Tz.Bridges);
        Assert.Equal(free, bench.Dma.FreeBytes);
        Assert.Single(bench.Scm.TzMem.Warnings);
    }

    [Fact]
    public void Bridge_helpers_create_and_delete_when_bridges_are_in_use()
    {
        var bench = new KernelScmBench();
        ulong handle = 0;
        Assert.Equal(0, bench.Scm.TzMem.ShmBridgeCreate(new PhysAddr(0x8900_0000), 0x10000, ref handle));
        Assert.Equal(bench.Tz.Bridges.Single(), (handle, 0x8900_0000UL, 0x10000UL));
        Assert.Equal(0, bench.Scm.TzMem.ShmBridgeDelete(handle));
        Assert.Empty(bench.Tz.Bridges);
    }

    [Fact]
    public void Bridge_helpers_are_no_ops_when_bridges_are_off()
    {
        var bench = new KernelScmBench(configure: tz => tz.EnableResult = 4);
        ulong handle = 77;
        Assert.Equal(0, bench.Scm.TzMem.ShmBridgeCreate(new PhysAddr(0x8900_0000), 0x10000, ref handle));
        Assert.Equal(77UL, handle);
        Assert.Equal(0, bench.Scm.TzMem.ShmBridgeDelete(handle));
        Assert.DoesNotContain(bench.Tz.Calls, c => c.Call.X0 is 0x42000C1E or 0x42000C1D);
    }

    [Fact]
    public void Buffers_are_read_and_written_through_the_bus_as_the_kernel_CPU()
    {
        var bench = new KernelScmBench();
        using var buffer = bench.Scm.Pool!.Allocate(16)!;
        Assert.Equal(BusStatus.Ok, buffer.Write(4, [1, 2, 3]));
        var back = new byte[3];
        Assert.Equal(BusStatus.Ok, buffer.Read(4, back));
        Assert.Equal([1, 2, 3], back);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Write(Page - 1, [1, 2]));
    }
}

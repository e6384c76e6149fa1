using System.Buffers.Binary;
using Qtz.Kernel;
using Qtz.Soc;
using Xunit;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.Tests.Scm;

public sealed class ScmCallTests
{
    [Fact]
    public void A_call_is_a_std_SMC64_SiP_id_with_arginfo_in_x1_and_arguments_in_x2_to_x5()
    {
        var bench = new KernelScmBench();
        bench.Scm.Call(new ScmDesc(0x02, 0x01, ArgInfo.Of(ScmArgType.Val, ScmArgType.Rw), 1, 0x8500_0000), out _);
        var call = bench.Tz.Calls.Single().Call;
        Assert.Equal((0x42000201UL, 0x82UL, 1UL, 0x8500_0000UL, 0UL, 0UL, 0UL), (call.X0, call.X1, call.X2, call.X3, call.X4, call.X5, call.X7));
    }

    [Fact]
    public void An_atomic_call_uses_the_fast_id()
    {
        var bench = new KernelScmBench();
        bench.Scm.CallAtomic(new ScmDesc(0x05, 0x01, ArgInfo.Values(1), 0x1234), out _);
        Assert.Equal(0xC2000501UL, bench.Tz.Calls.Single().Call.X0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_caller_exception_level_travels_with_the_call(int el)
    {
        var bench = new KernelScmBench(exceptionLevel: el);
        bench.Scm.Call(new ScmDesc(0x42, 1, ArgInfo.None), out _);
        Assert.Equal(el, bench.Tz.Calls.Single().Call.CallerEl);
    }

    [Fact]
    public void More_than_four_arguments_go_in_a_tzmem_ext_args_buffer_that_is_freed_after_the_call()
    {
        var bench = new KernelScmBench();
        var seen = Array.Empty<byte>();
        bench.Tz.Answer = call =>
        {
            seen = new byte[56];
            Assert.Equal(BusStatus.Ok, bench.Bus.Read(BusMaster.SecureWorld, new PhysAddr(call.X5), seen));
            return new SmcResult(0);
        };
        Assert.Equal(0, bench.Scm.Call(new ScmDesc(0x42, 1, ArgInfo.Values(10), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), out _));
        var call = bench.Tz.CallsTo(0x42, 1).Single().Call;
        Assert.Equal((0UL, 1UL, 2UL), (call.X2, call.X3, call.X4));
        Assert.Contains(bench.Scm.Pool!.Areas, a => a.Range.Contains(new PhysAddr(call.X5), 56));
        Assert.Equal([3UL, 4, 5, 6, 7, 8, 9], Enumerable.Range(0, 7).Select(i => BinaryPrimitives.ReadUInt64LittleEndian(seen.AsSpan(i * 8))));
        Assert.Equal(0, bench.Scm.Pool.LiveChunks);
    }

    [Fact]
    public void Four_arguments_stay_in_registers()
    {
        var bench = new KernelScmBench();
        bench.Scm.Call(new ScmDesc(0x42, 1, ArgInfo.Values(4), 1, 2, 3, 4), out _);
        Assert.Equal(4UL, bench.Tz.Calls.Single().Call.X5);
    }

    [Fact]
    public void Under_the_ARM_32_convention_ext_args_are_32_bit_entries()
    {
        var bench = new KernelScmBench(configure: tz => tz.Smc64 = false);
        Assert.Equal(ScmConvention.Arm32, bench.Scm.Convention);
        var seen = new byte[28];
        bench.Tz.Answer = call =>
        {
            bench.Bus.Read(BusMaster.SecureWorld, new PhysAddr(call.X5), seen);
            return new SmcResult(0);
        };
        bench.Scm.Call(new ScmDesc(0x42, 1, ArgInfo.Values(5), 0, 1, 2, 3, 4), out _);
        Assert.Equal(0x02004201UL, bench.Tz.CallsTo(0x42, 1).Single().Call.X0);
        Assert.Equal([3u, 4, 0, 0, 0, 0, 0], Enumerable.Range(0, 7).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(seen.AsSpan(i * 4))));
    }

    [Fact]
    public void Ext_args_without_a_pool_fail_with_EINVAL()
    {
        var bench = new KernelScmBench(probe: false);
        Assert.Equal(-ScmErrno.EINVAL, bench.Scm.Call(new ScmDesc(0x42, 1, ArgInfo.Values(5)), out _));
    }

    [Fact]
    public void Ext_args_when_the_pool_is_exhausted_fail_with_ENOMEM()
    {
        var bench = new KernelScmBench(new ScmOptions { Pool = new TzMemPoolConfig(0x1000, TzMemPolicy.Static) });
        using var all = bench.Scm.Pool!.Allocate(0x1000);
        Assert.Equal(-ScmErrno.ENOMEM, bench.Scm.Call(new ScmDesc(0x42, 1, ArgInfo.Values(5)), out _));
        Assert.Empty(bench.Tz.CallsTo(0x42, 1));
    }

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(unchecked((ulong)-1L), -ScmErrno.EIO)]
    [InlineData(unchecked((ulong)-2L), -ScmErrno.EINVAL)]
    [InlineData(unchecked((ulong)-3L), -ScmErrno.EINVAL)]
    [InlineData(unchecked((ulong)-4L), -ScmErrno.EOPNOTSUPP)]
    [InlineData(unchecked((ulong)-5L), -ScmErrno.ENOMEM)]
    [InlineData(2UL, -ScmErrno.EINVAL)]
    [InlineData(unchecked((ulong)-100L), -ScmErrno.EINVAL)]
    [InlineData(0xFFFF_FFFFUL, -ScmErrno.EIO)]
    public void TZ_status_maps_to_the_errno_Linux_returns(ulong x0, int expected)
    {
        var bench = new KernelScmBench(configure: tz => tz.Answer = _ => new SmcResult(x0));
        Assert.Equal(expected, bench.Scm.CallAtomic(new ScmDesc(0x42, 1, ArgInfo.None), out _));
    }

    [Fact]
    public void Results_are_copied_even_when_the_call_fails()
    {
        var bench = new KernelScmBench(configure: tz => tz.Answer = _ => new SmcResult(unchecked((ulong)-1L), 1, 20, 0x5000));
        Assert.Equal(-ScmErrno.EIO, bench.Scm.Call(new ScmDesc(0x02, 0x21, ArgInfo.None), out var res));
        Assert.Equal(new ScmResponse(1, 20, 0x5000), res);
    }

    [Fact]
    public void Convention_is_ARM_64_when_the_fast_SMC64_probe_answers_one_and_is_probed_once()
    {
        var bench = new KernelScmBench(probe: false);
        Assert.Equal(ScmConvention.Arm64, bench.Scm.Convention);
        Assert.Equal(ScmConvention.Arm64, bench.Scm.Convention);
        var probe = bench.Tz.Calls.Single().Call;
        Assert.Equal((0xC2000601UL, 1UL, 0x0200_0601UL), (probe.X0, probe.X1, probe.X2));
    }

    [Fact]
    public void Convention_falls_back_to_ARM_32_then_legacy()
    {
        Assert.Equal(ScmConvention.Arm32, new KernelScmBench(probe: false, configure: tz => tz.Smc64 = false).Scm.Convention);
        var legacy = new KernelScmBench(probe: false, configure: tz => tz.Available = _ => false);
        Assert.Equal(ScmConvention.Legacy, legacy.Scm.Convention);
        Assert.Equal([0xC2000601UL, 0x82000601UL], legacy.Tz.Calls.Select(c => c.Call.X0));
    }

    [Fact]
    public void An_sc7180_SCM_node_forces_ARM_64_when_IS_CALL_AVAIL_is_missing()
    {
        var bench = new KernelScmBench(new ScmOptions { ForceArm64 = true }, probe: false, configure: tz => tz.Available = _ => false);
        Assert.Equal(ScmConvention.Arm64, bench.Scm.Convention);
        Assert.Single(bench.Tz.Calls);
    }

    [Fact]
    public void IS_CALL_AVAIL_asks_for_the_SiP_function_number()
    {
        var bench = new KernelScmBench(configure: tz => tz.Available = arg => arg is 0x0200_1A01 or 0x0200_0601);
        Assert.True(bench.Scm.IsCallAvailable(0x1A, 0x01));
        Assert.False(bench.Scm.IsCallAvailable(0x02, 0x21));
        Assert.All(bench.Tz.Calls, c => Assert.Equal(0x42000601UL, c.Call.X0));
    }
}

using System.Collections.Immutable;
using Qtz.Linux.Remoteproc;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Tests.Remoteproc;

public class PasTraceComparisonTests
{
    private static readonly PhysRange Carveout = new(new PhysAddr(0x95c0_0000), 0x1e0_0000);

    private static SmcTraceEvent E(BusMaster caller, ulong x0, ulong x1, ulong x2, ulong x3 = 0, ulong x4 = 0, ulong x5 = 0, ulong r1 = 0, ulong r2 = 0) =>
        new(default, TimeSpan.Zero, new SmcCall(caller, x0, x1, x2, x3, x4, x5), new SmcResult(0, r1, r2), ImmutableArray<SmcArgument>.Empty, false);

    /// <summary>One DSP's start and stop under QHEE as the conduit logs it (a trapped call after what QHEE did for it).</summary>
    private static List<SmcTraceEvent> StartStop(uint pas, ulong metadata, ulong handle) =>
    [
        E(BusMaster.LinuxEl1, 0x4200_0201, 0x82, pas, metadata),
        E(BusMaster.LinuxEl1, 0x4200_0202, 0x3, pas, Carveout.Base.Value, Carveout.Size),
        E(BusMaster.Hyp, 0x4200_0C1E, 0x4, Carveout.Base.Value | 6, Carveout.Base.Value | 6, Carveout.Size | 0x200, 3, r2: handle),
        E(BusMaster.Hyp, 0x4200_0205, 0x1, pas),
        E(BusMaster.Hyp, 0x4200_0C1D, 0x1, handle),
        E(BusMaster.LinuxEl1, 0x4200_0205, 0x1, pas),
        E(BusMaster.Hyp, 0x4200_0206, 0x1, pas),
        E(BusMaster.LinuxEl1, 0x4200_0206, 0x1, pas),
    ];

    [Fact]
    public void Two_clients_making_the_same_calls_agree_whatever_their_buffers_and_handles()
    {
        var real = PasTraceComparison.Steps(StartStop(1, 0xb9cc_0000, 7), 1, Carveout);
        var model = PasTraceComparison.Steps(StartStop(1, 0x8100_0000, 0x5b00_0001), 1, Carveout);
        Assert.Equal(8, real.Count);
        Assert.Null(PasTraceComparison.Compare(real, model));
    }

    [Fact]
    public void Another_DSP_s_calls_interleaved_by_the_guest_are_left_out()
    {
        var other = new PhysRange(new PhysAddr(0x9b80_0000), 0x1e0_0000);
        var mixed = StartStop(1, 0xb9cc_0000, 7);
        mixed.Insert(3, E(BusMaster.LinuxEl1, 0x4200_0201, 0x82, 18, 0xb9cc_2000));
        mixed.Insert(4, E(BusMaster.Hyp, 0x4200_0C1E, 0x4, other.Base.Value | 6, other.Base.Value | 6, other.Size | 0x200, 3, r2: 9));
        mixed.Insert(5, E(BusMaster.Hyp, 0x4200_0C1D, 0x1, 9));
        Assert.Null(PasTraceComparison.Compare(PasTraceComparison.Steps(mixed, 1, Carveout), PasTraceComparison.Steps(StartStop(1, 0, 7), 1, Carveout)));
    }

    [Fact]
    public void A_call_only_one_side_makes_is_named_with_its_position()
    {
        var model = StartStop(1, 0, 7);
        model.Insert(0, E(BusMaster.LinuxEl1, 0x4200_0207, 0x1, 1, r1: 1));
        var d = PasTraceComparison.Compare(PasTraceComparison.Steps(StartStop(1, 0, 7), 1, Carveout), PasTraceComparison.Steps(model, 1, Carveout));
        Assert.NotNull(d);
        Assert.Equal(0, d.Index);
        Assert.Contains("PAS_IS_SUPPORTED", d.Model!.Value.Call, StringComparison.Ordinal);
        Assert.Contains("PAS_INIT_IMAGE", d.Real!.Value.Call, StringComparison.Ordinal);
    }
}

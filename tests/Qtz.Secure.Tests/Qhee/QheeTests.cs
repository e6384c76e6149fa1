using Qtz.Secure.Tests.Pas;
using Qtz.Soc;
using Xunit;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Qhee;

public sealed class QheeTests
{
    private const uint AdspSwId = 0x04;
    private static readonly PhysRange HypRam = new(new PhysAddr(0xBF00_0000), 0x10_0000);

    private readonly PasBench _bench;
    private readonly global::Qtz.Secure.Hypervisor.Qhee _qhee;
    private readonly List<SmcTraceEvent> _trace = [];

    public QheeTests()
    {
        _bench = new PasBench(callerEl: 1, enableBridges: true);
        _qhee = new global::Qtz.Secure.Hypervisor.Qhee(_bench.Bus, new QheeOptions { SmmuBase = SmmuBase, PageTableRam = HypRam }, [_bench.Peripheral]);
        _qhee.Install(_bench.Conduit);
        _bench.Conduit.Traced += _trace.Add;
    }

    private int Bank => _qhee.ContextBankOf(AdspPasId)!.Value;

    [Fact]
    public void AUTH_AND_RESET_from_EL1_is_trapped_bridged_forwarded_and_the_bridge_deleted()
    {
        Assert.Equal((0L, 0UL), Outcome(_bench.Boot(TestImages.Signed(AdspSwId))));
        var names = _trace.Select(t => (ScmCatalog.CallName(t.Call.FunctionId), t.Call.Caller, t.TrappedByHypervisor)).ToList();
        var auth = names.FindLastIndex(n => n.Item1 == "PIL.PAS_AUTH_AND_RESET" && n.Caller == BusMaster.Hyp);
        Assert.Equal(("MP.SHM_BRIDGE_CREATE", BusMaster.Hyp, false), names[auth - 1]);
        Assert.Equal(("MP.SHM_BRIDGE_DELETE", BusMaster.Hyp, false), names[auth + 1]);
        Assert.Equal(("PIL.PAS_AUTH_AND_RESET", BusMaster.LinuxEl1, true), names[auth + 2]);
        Assert.Empty(_bench.World.Bridges.Live);
        Assert.Equal(0, _qhee.LiveBridges);
        Assert.Equal(DspState.Booting, _bench.Core.State);
    }

    [Fact]
    public void On_success_the_DSP_stream_is_translated_by_QHEEs_own_context_bank_with_identity_maps()
    {
        _bench.Boot(TestImages.Signed(AdspSwId));
        Assert.Equal(1, _qhee.ActiveStreams);
        foreach (var at in new[] { Carveout0, Carveout0 + 0x1F_F000, Lpass.Physical.Value })
        {
            var t = _bench.Smmu.Translate(0x3000, new Iova(at), AccessKind.Read);
            Assert.True(t.IsOk, t.ToString());
            Assert.Equal(new PhysAddr(at), t.Address);
        }

        Assert.True(_bench.Smmu.TlbEntries(Bank) > 0); // the core's boot probe walked QHEE's tables
        Assert.False(_bench.Smmu.Translate(0x3000, new Iova(0x8000_0000), AccessKind.Read).IsOk); // nothing else is mapped
        Assert.True(_qhee.PageTablePagesInUse > 0);
    }

    [Fact]
    public void EL1_cannot_program_QHEEs_context_bank_while_it_is_in_use()
    {
        _bench.Boot(TestImages.Signed(AdspSwId));
        var page = _qhee.ContextBankRegistersOf(AdspPasId)!.Value;
        var faults = _bench.Bus.FaultCount;
        Assert.Equal(BusStatus.Denied, _bench.Bus.WriteUInt64(BusMaster.LinuxEl1, page.Base + SmmuRegisters.CbTtbr0, 0x8000_0000));
        Assert.Equal(BusStatus.Denied, _bench.Bus.WriteUInt32(BusMaster.LinuxEl1, page.Base + SmmuRegisters.CbSctlr, 0));
        Assert.Equal(faults + 2, _bench.Bus.FaultCount);
        Assert.Equal(BusMaster.LinuxEl1, _bench.Bus.RecentFaults[^1].Master);
        Assert.True(_bench.Smmu.Translate(0x3000, new Iova(Carveout0), AccessKind.Read).IsOk);
    }

    [Fact]
    public void EL1_cannot_change_QHEEs_page_tables()
    {
        Assert.Equal(BusStatus.Denied, _bench.Bus.WriteUInt64(BusMaster.LinuxEl1, HypRam.Base, 0x8000_0000 | 1));
        Assert.Equal(BusStatus.Denied, _bench.Bus.WriteUInt64(BusMaster.LinuxEl2, HypRam.Base + 0x800, 3));
    }

    [Fact]
    public void Once_QHEE_owns_the_SMMU_a_stream_without_an_entry_faults_instead_of_bypassing()
    {
        Assert.True(_bench.Smmu.Translate(0x3000, new Iova(0x8000_0000), AccessKind.Read).IsOk); // out of reset: everything bypasses
        _bench.Boot(TestImages.Signed(AdspSwId));
        var stray = _bench.Smmu.Translate(0x3F00, new Iova(0x8000_0000), AccessKind.Read);
        Assert.False(stray.IsOk);
        Assert.Equal(SmmuStatus.StreamFault, stray.Status);
        Assert.Equal((0L, 0UL), Outcome(_bench.Shutdown()));
        Assert.Equal(SmmuStatus.StreamFault, _bench.Smmu.Translate(0x3000, new Iova(0x8000_0000), AccessKind.Read).Status); // torn down: faults too
    }

    [Fact]
    public void SHUTDOWN_is_trapped_and_the_stream_torn_down_with_nothing_left_behind()
    {
        _bench.Boot(TestImages.Signed(AdspSwId));
        Assert.Equal((0L, 0UL), Outcome(_bench.Shutdown()));
        Assert.Equal(0, _qhee.ActiveStreams);
        Assert.Equal(0, _qhee.PageTablePagesInUse);
        Assert.Empty(_qhee.MappingsOf(AdspPasId));
        Assert.DoesNotContain(_bench.Bus.Protection.Regions, r => r.Name.StartsWith("qhee:smmu", StringComparison.Ordinal));
        Assert.Equal(0, _bench.Pas.LockedCarveoutCount);
        Assert.Equal(0, _bench.Pas.LockedMetadataCount);
        var page = _qhee.ContextBankRegistersOf(AdspPasId)!.Value;
        Assert.Equal(BusStatus.Ok, _bench.Bus.ReadUInt32(BusMaster.LinuxEl1, page.Base + SmmuRegisters.CbSctlr, out var sctlr));
        Assert.Equal(0u, sctlr);
    }

    [Fact]
    public void When_TZ_refuses_QHEE_undoes_the_stream_and_the_bridge()
    {
        var signed = TestImages.Signed(AdspSwId);
        var r = _bench.Boot(signed, copy => copy[0x2040] ^= 4);
        Assert.Equal((0L, PasErrors.SegmentHashMismatch), Outcome(r));
        Assert.Equal(0, _qhee.ActiveStreams);
        Assert.Equal(0, _qhee.PageTablePagesInUse);
        Assert.Equal(0, _qhee.LiveBridges);
        Assert.Empty(_bench.World.Bridges.Live);
        Assert.Equal(0, _bench.Core.BootCount);
    }

    [Fact]
    public void The_peripheral_boots_again_after_a_trapped_SHUTDOWN()
    {
        var signed = TestImages.Signed(AdspSwId);
        _bench.Boot(signed);
        _bench.Shutdown();
        Assert.Equal((0L, 0UL), Outcome(_bench.Boot(signed)));
        Assert.Equal(1, _qhee.ActiveStreams);
    }

    [Fact]
    public void Other_SMCs_from_EL1_are_not_trapped()
    {
        _bench.InitImage(TestImages.Signed(AdspSwId));
        Assert.False(_trace.Single(t => ScmCatalog.CallName(t.Call.FunctionId) == "PIL.PAS_INIT_IMAGE").TrappedByHypervisor);
    }

    private static ulong Carveout0 => DefaultCarveout.Base.Value;
}

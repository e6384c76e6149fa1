using Qtz.Firmware.Elf;
using Qtz.Soc;
using Xunit;
using Qtz.Secure.Pas;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

public sealed class PasAuthAndResetTests
{
    private const uint AdspSwId = 0x04;

    [Fact]
    public void A_loaded_image_is_verified_in_place_the_carveout_locked_and_the_DSP_released()
    {
        var bench = new PasBench();
        Assert.Equal((0L, 0UL), Outcome(bench.Boot(TestImages.Signed(AdspSwId))));
        Assert.Equal(PasState.Running, bench.Pas.StateOf(AdspPasId));
        Assert.Equal(1, bench.Pas.LockedCarveoutCount);
        Assert.Equal(0, bench.Pas.LockedMetadataCount);
        Assert.True(bench.Clock.RunUntil(() => bench.Core.State == DspState.Running, TimeSpan.FromSeconds(1)));
        Assert.True(bench.Core.Signals.FromDsp.Get(DspSignals.ReadyBit));
    }

    [Fact]
    public void The_DSP_boot_image_comes_from_the_authenticated_ELF_and_the_peripherals_device_memory()
    {
        var bench = new PasBench();
        var signed = TestImages.Signed(AdspSwId);
        bench.Boot(signed);
        var image = bench.Core.Image!;
        var @base = bench.Carveout.Base.Value;
        Assert.Equal(new Iova(@base), image.Entry); // linked at 0x8B000000, relocated to the MEM_SETUP base
        var loads = ElfFile.Parse(signed).ProgramHeaders.Where(p => p.IsLoad).ToArray();
        Assert.Equal(loads.Length, image.Segments.Count);
        Assert.Equal(new DspSegment(new Iova(@base), loads[0].MemorySize, AccessPermissions.ReadExecute), image.Segments[0]);
        Assert.Equal(AccessPermissions.ReadWrite, image.Segments[^1].Permissions); // the BSS segment, p_flags RW
        Assert.Equal([Lpass.ToDspRange()], image.DeviceMemory);
    }

    [Fact]
    public void After_AUTH_AND_RESET_a_non_secure_read_of_the_carveout_faults_and_returns_no_data()
    {
        var bench = new PasBench();
        var signed = TestImages.Signed(AdspSwId);
        bench.Boot(signed);
        var faults = bench.Bus.FaultCount;
        var buffer = new byte[64];
        Assert.Equal(BusStatus.Denied, bench.Bus.Read(BusMaster.LinuxEl1, bench.Carveout.Base, buffer));
        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Equal(faults + 1, bench.Bus.FaultCount);
        Assert.Equal(BusMaster.LinuxEl1, bench.Bus.RecentFaults[^1].Master);
        Assert.Equal(BusStatus.Denied, bench.Bus.Write(BusMaster.LinuxEl2, bench.Carveout.Base + 0x100, buffer));
        Assert.Equal(BusStatus.Denied, bench.Bus.Read(BusMaster.Hyp, bench.Carveout.Base, buffer));
    }

    [Fact]
    public void One_flipped_byte_in_a_loaded_segment_is_refused_and_the_DSP_never_released()
    {
        var bench = new PasBench();
        var signed = TestImages.Signed(AdspSwId);
        var seg = ElfFile.Parse(signed).ProgramHeaders.First(p => p.IsLoad && p.FileSize > 0);
        var r = bench.Boot(signed, copy => copy[(int)seg.Offset + 0x123] ^= 0x01);
        Assert.Equal((0L, PasErrors.SegmentHashMismatch), Outcome(r));
        Assert.Equal(DspState.Reset, bench.Core.State);
        Assert.Equal(0, bench.Core.BootCount);
        Assert.Equal(0, bench.Pas.LockedCarveoutCount);
        Assert.Contains("segment 2", bench.Pas.LastError(AdspPasId)!.Value.Reason);
    }

    [Fact]
    public void The_zero_initialised_tail_of_a_segment_is_cleared_before_release()
    {
        var bench = new PasBench();
        var signed = TestImages.Signed(AdspSwId);
        bench.Load(signed);
        var seg = ElfFile.Parse(signed).ProgramHeaders.First(p => p.IsLoad && p.FileSize > 0);
        var tail = bench.Carveout.Base + seg.FileSize;
        bench.Write(tail.Value, [0xAA, 0xBB]);
        Assert.Equal((0L, 0UL), Outcome(bench.AuthAndReset()));
        var check = new byte[2];
        bench.Bus.Read(BusMaster.SecureWorld, tail, check);
        Assert.Equal(new byte[2], check);
    }

    [Fact]
    public void AUTH_AND_RESET_without_INIT_IMAGE_is_refused_as_out_of_order()
    {
        var bench = new PasBench();
        Assert.Equal((0L, PasErrors.WrongState), Outcome(bench.AuthAndReset()));
        Assert.Equal(0, bench.Core.BootCount);
    }

    [Fact]
    public void A_second_AUTH_AND_RESET_while_running_is_refused()
    {
        var bench = new PasBench();
        bench.Boot(TestImages.Signed(AdspSwId));
        Assert.Equal((0L, PasErrors.WrongState), Outcome(bench.AuthAndReset()));
        Assert.Equal((0L, PasErrors.WrongState), Outcome(bench.InitImage(TestImages.Signed(AdspSwId))));
        Assert.Equal(1, bench.Core.BootCount);
    }

    [Fact]
    public void MEM_SETUP_needs_INIT_IMAGE_and_must_stay_inside_the_carveout()
    {
        var bench = new PasBench();
        Assert.Equal((0L, PasErrors.WrongState), Outcome(bench.MemSetup(bench.Carveout.Base.Value, 0x10000)));
        bench.InitImage(TestImages.Signed(AdspSwId));
        Assert.Equal((0L, PasErrors.BadMemoryLayout), Outcome(bench.MemSetup(bench.Carveout.Base.Value + 0x1F_0000, 0x20000)));
        Assert.Equal((0L, 0UL), Outcome(bench.MemSetup(bench.Carveout.Base.Value, 0x10000)));
    }

    [Fact]
    public void An_image_window_outside_the_carveout_is_refused()
    {
        var bench = new PasBench();
        var signed = TestImages.Signed(AdspSwId, sizes: [0x30_0000]); // larger than the 2 MiB carveout
        Assert.Equal((0L, 0UL), Outcome(bench.InitImage(signed)));
        Assert.Equal((0L, PasErrors.BadMemoryLayout), Outcome(bench.AuthAndReset()));
        Assert.Contains("does not fit the carveout", bench.Pas.LastError(AdspPasId)!.Value.Reason);
    }

    [Fact]
    public void An_entry_point_outside_the_image_window_is_refused()
    {
        var bench = new PasBench();
        var r = bench.Boot(TestImages.Signed(AdspSwId, entry: 0x8A00_0000)); // properly signed, but below the image
        Assert.Equal((0L, PasErrors.BadMemoryLayout), Outcome(r));
        Assert.Contains("entry point", bench.Pas.LastError(AdspPasId)!.Value.Reason);
        Assert.Equal(0, bench.Core.BootCount);
    }

    [Fact]
    public void At_EL2_AUTH_AND_RESET_needs_a_live_bridge_over_the_carveout()
    {
        var bench = new PasBench(callerEl: 2, enableBridges: true);
        Assert.Equal(0, bench.CreateBridge(TzMemAt, 0x10000).Status);
        var signed = TestImages.Signed(AdspSwId);
        bench.Load(signed, metadataAt: TzMemAt);
        Assert.Equal((0L, PasErrors.CarveoutNotBridged), Outcome(bench.AuthAndReset()));
        Assert.Equal(0, bench.Core.BootCount);

        var bridge = bench.CreateBridge(bench.Carveout.Base.Value, bench.Carveout.Size);
        Assert.Equal(0, bridge.Status);
        Assert.Equal((0L, 0UL), Outcome(bench.AuthAndReset()));
        Assert.Equal(0, bench.DeleteBridge(bridge.X2).Status);
        Assert.Equal(PasState.Running, bench.Pas.StateOf(AdspPasId));
    }
}

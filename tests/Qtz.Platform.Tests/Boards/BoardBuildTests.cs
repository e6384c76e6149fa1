using Qtz.DeviceTree;
using Qtz.Platform.Boards;
using Qtz.Platform.FirmwareLoader;
using Qtz.Platform.Socs;
using Xunit;
using Qtz.DeviceTree.Model;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Addressing;

namespace Qtz.Platform.Tests.Boards;

public sealed class BoardBuildTests
{
    [Fact]
    public void Carveouts_come_from_the_dtb_not_the_spec_table()
    {
        var board = Board.Build();
        // The ride DTB puts pil-adsp at 0x95c00000; spec §9.3's SoC table says 0x95900000.
        Assert.Equal(0x95c0_0000UL, board.Remoteproc("adsp").Carveout.Base.Value);
        Assert.Equal(0x1e0_0000UL, board.Remoteproc("adsp").Carveout.Size);
        Assert.Equal(["adsp", "cdsp0", "cdsp1", "gpdsp0", "gpdsp1"], board.Remoteprocs.Select(r => r.Name));
    }

    [Fact]
    public void Kernel_and_hypervisor_pools_lie_in_ddr_outside_every_reserved_region()
    {
        var map = BoardMemoryMap.From(DtTree.Parse(BoardDeviceTree.EmbeddedDtb()));
        foreach (var pool in new[] { map.KernelDma, map.KernelPageTables, map.HypervisorPageTables })
        {
            Assert.True(map.InDdr(pool));
            Assert.DoesNotContain(map.Reserved, r => r.Range.Overlaps(pool));
        }
    }

    [Fact]
    public void Kvm_mode_applies_the_el2_overlay_only_when_iommus_are_missing_and_says_so()
    {
        var tree = BoardDeviceTree.Resolve(new BoardOptions { Mode = KernelMode.Kvm });
        Assert.All(BoardDeviceTree.PasNodes(tree.Tree), n => Assert.True(n.HasProperty("iommus")));
        Assert.Contains(tree.Notes, n => n.Contains("sa8775p-el2", StringComparison.Ordinal));
        var off = BoardDeviceTree.Resolve(new BoardOptions { Mode = KernelMode.Kvm, NoEl2Overlay = true });
        Assert.All(BoardDeviceTree.PasNodes(off.Tree), n => Assert.False(n.HasProperty("iommus")));
        var qhee = BoardDeviceTree.Resolve(new BoardOptions { Mode = KernelMode.Qhee });
        Assert.Empty(qhee.Notes);
    }

    [Fact]
    public void Default_firmware_is_deterministic_apart_from_signatures_and_has_the_right_sw_id()
    {
        var spec = new DefaultImageSpec("adsp.mbn", 1, new global::Qtz.Soc.Addressing.PhysRange(new global::Qtz.Soc.Addressing.PhysAddr(0x95c0_0000), 0x1e0_0000));
        var a = DefaultFirmware.Generate([spec]).Bytes("adsp.mbn");
        var b = DefaultFirmware.Generate([spec]).Bytes("qcom/sa8775p/adsp.mbn");
        using var image = Qtz.Firmware.Images.FirmwareImage.FromMemory(a);
        var segment = image.ProgramHeaders[2];
        Assert.Equal(0x95c0_0000UL, image.Header.Entry);
        Assert.Equal(a.AsSpan((int)segment.Offset, (int)segment.FileSize).ToArray(), b.AsSpan((int)segment.Offset, (int)segment.FileSize).ToArray());
        Assert.Equal(0x4u, Qtz.Firmware.Verification.FirmwareInspector.Describe(image).SoftwareId);
    }

    [Fact]
    public void Every_default_fused_root_is_a_sha384()
    {
        Assert.All(FusedRoots.PublicTestRoots, r => Assert.Equal(48, Convert.FromHexString(r.RootSha384).Length));
    }
}

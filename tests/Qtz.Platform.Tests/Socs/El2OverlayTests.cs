using Qtz.Platform.Boards;
using Qtz.Platform.Socs;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Platform.Tests.Socs;

/// <summary>EL2 overlays as data: applied in KVM mode to trees without <c>iommus</c>, per SoC (spec/socs.md §3.3).</summary>
public sealed class El2OverlayTests
{
    private static Board Boot(string dtb, bool overlay)
    {
        var board = Board.Build(new BoardOptions { Dtb = SocTestData.Blob(dtb), Mode = KernelMode.Kvm, NoEl2Overlay = !overlay });
        board.Boot();
        return board;
    }

    private static Kernel.Remoteproc.Rproc Rproc(Board board, string name) => board.Driver(name)!.Rproc;

    [RequiresDtbsTheory]
    [InlineData("x1e80100-crd.dtb", "x1-el2", "adsp", "cdsp")]
    [InlineData("x1e80100-lenovo-yoga-slim7x.dtb", "x1-el2", "adsp", "cdsp")]
    [InlineData("qcs6490-rb3gen2.dtb", "kodiak-el2", "adsp", "cdsp")]
    [InlineData("qcm6490-idp.dtb", "kodiak-el2", "adsp", "cdsp")]
    public void A_real_board_boots_its_DSPs_as_a_KVM_host_with_its_SoCs_overlay_and_faults_without_it(string dtb, string overlay, string first, string second)
    {
        using var with = Boot(dtb, overlay: true);
        Assert.Contains(with.Notes, n => n.Contains($"applied the EL2 overlay '{overlay}'", StringComparison.Ordinal));
        foreach (var name in new[] { first, second })
        {
            var rproc = Rproc(with, name);
            Assert.Equal(Kernel.Remoteproc.RprocState.Running, rproc.State);
            Assert.True(with.Driver(name)!.HasIommu);
            // The merged design end to end: the carveout identity-mapped and TZ's devmem from GET_RSCTABLE.
            Assert.Contains(rproc.Mappings, m => m.Source == "carveout" && m.DeviceAddress.Value == with.Remoteproc(name).Carveout.Base.Value);
            Assert.NotNull(rproc.CachedTable);
        }

        using var without = Boot(dtb, overlay: false);
        foreach (var name in new[] { first, second })
        {
            var rproc = Rproc(without, name);
            Assert.NotEqual(Kernel.Remoteproc.RprocState.Running, rproc.State);
            Assert.Contains("StreamFault", rproc.LastError, StringComparison.Ordinal);
        }
    }

    [RequiresDtbsFact]
    public void Kodiaks_overlay_disables_the_modem_and_leaves_WPSS_without_a_stream_as_posted()
    {
        using var board = Boot("qcs6490-rb3gen2.dtb", overlay: true);
        Assert.Null(board.Driver("mpss"));
        Assert.Contains("StreamFault", Rproc(board, "wpss").LastError, StringComparison.Ordinal);
        Assert.All(board.DeviceTree.Tree.Root.DescendantsAndSelf().Where(n => n.BaseName == "zap-shader"), n => Assert.False(n.IsEnabled));
    }

    [RequiresDtbsFact]
    public void An_overlay_that_covers_only_PCIe_leaves_the_DSP_streams_to_fault_and_says_so()
    {
        using var board = Boot("sc8280xp-crd.dtb", overlay: true);
        Assert.Contains(board.Notes, n => n.Contains("'sc8280xp-el2'", StringComparison.Ordinal) && n.Contains("streams fault", StringComparison.Ordinal));
        Assert.Contains("StreamFault", Rproc(board, "adsp").LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qcs8300", "cdsp0", 0x19c0, 0x400)]
    [InlineData("qcs8300", "gpdsp0", 0x28a0, 0)]
    [InlineData("qcs615", "adsp", 0x1720, 0)]
    [InlineData("qcs9100", "cdsp1", 0x29c0, 0x400)]
    [InlineData("x1p42100", "cdsp", 0x0c00, 0)]
    public void Each_overlay_row_gives_the_processor_its_mainline_stream(string soc, string processor, int sid, int mask)
    {
        var row = SocEl2Overlays.Find(soc);
        Assert.NotNull(row);
        var stream = SocEl2Overlays.StreamOf(row, processor);
        Assert.NotNull(stream);
        Assert.Equal((ushort)sid, stream.StreamId);
        Assert.Equal((ushort)mask, stream.StreamMask);
    }
}

using Qtz.DeviceTree.Model;
using Qtz.Platform.Boards;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Platform.Tests.Boards;

public sealed class BoardMemoryMapTests
{
    private static DtTree Sc7280Idp() => DtTree.Parse(File.ReadAllBytes(Path.Combine(TestPaths.ProjectDtbDirectory, "sc7280-idp.dtb")));

    [Fact]
    public void A_reserved_page_below_memory_is_a_bank_of_its_own_not_ram_over_the_mmio_below_ddr()
    {
        var map = BoardMemoryMap.From(Sc7280Idp());

        Assert.Equal(0x8000_0000UL, map.Ddr[0].Base.Value);
        var wlanCe = Assert.Single(map.Ddr, d => d.Base.Value == 0x4cd000);
        Assert.Equal(0x1000UL, wlanCe.Size);
        // apps_smmu's registers (0x15000000) lie between the two banks and must stay off DDR.
        Assert.DoesNotContain(map.Ddr, d => d.Base.Value <= 0x1500_0000 && 0x1500_0000 < d.Base.Value + d.Size);
    }

    [Fact]
    public void A_tree_with_a_reserved_page_below_memory_builds_and_boots()
    {
        using var board = Board.Build(new BoardOptions { Dtb = new NamedBlob("sc7280-idp.dtb", File.ReadAllBytes(Path.Combine(TestPaths.ProjectDtbDirectory, "sc7280-idp.dtb"))) });

        var report = board.Boot();

        Assert.NotEmpty(report.Peripherals);
        Assert.All(report.Peripherals, p => Assert.True(p.Ok, $"{p.Name}: {p.State}: {p.Reason}"));
    }
}

using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Boards;
using Qtz.TestSupport;
using Xunit;
using static Qtz.Platform.Tests.Peripherals.PasUserBoards;

namespace Qtz.Platform.Tests.Peripherals;

/// <summary>Linux's defaults for the coredump setting, and every real tree's other PAS users with generated images.</summary>
public sealed class PasUserDefaultsTests
{
    [Fact]
    public void Coredump_is_disabled_at_probe_as_mainline_and_the_option_enables_it_for_every_remoteproc()
    {
        using (var board = Build("apq8016-sbc.dtb"))
            Assert.Equal(RprocCoredumpMode.Disabled, ((Kernel.Peripherals.WcnssRemoteproc)board.PasUserDriver("wcnss")!).Rproc.CoredumpMode);
        using var enabled = Build("qrb5165-rb5.dtb", o => o with { Coredump = RprocCoredumpMode.Enabled });
        Assert.All(enabled.Remoteprocs, r => Assert.Equal(RprocCoredumpMode.Enabled, enabled.Driver(r.Name)!.Rproc.CoredumpMode));
        enabled.Boot();
        enabled.Remoteproc("adsp").Core.InjectWatchdog();
        enabled.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(enabled.Driver("adsp")!.Rproc.PendingCoredump);
    }

    [Fact]
    public void Every_project_dtb_brings_up_its_other_pas_users_with_generated_images()
    {
        var failures = new List<string>();
        var up = 0;
        foreach (var path in Directory.GetFiles(TestPaths.ProjectDtbDirectory, "*.dtb").Order(StringComparer.Ordinal))
        {
            var tree = DtTree.Parse(File.ReadAllBytes(path));
            if (!BoardDeviceTree.PasNodes(tree).Any() && !Board.PasUserNodesOf(tree).Any()) continue;
            using (var board = Board.Build(new BoardOptions { Dtb = new NamedBlob(Path.GetFileName(path), File.ReadAllBytes(path)) }))
            {
                var report = board.Boot();
                foreach (var p in report.Peripherals.Where(p => p.Kind != "remoteproc"))
                {
                    if (p.Ok) up++;
                    else failures.Add($"{Path.GetFileName(path)} {p.Name}: {p.State}: {p.Reason}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(up >= 25, $"only {up} PAS users came up");
    }
}

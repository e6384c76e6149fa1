using Qtz.Cli.Infrastructure;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Cli;

public sealed class CommandTreeTests
{
    [Fact]
    public void Every_catalog_name_is_the_name_of_the_command_it_builds()
    {
        foreach (var (name, create) in CommandCatalog.Entries)
            Assert.Equal(name, create().Name);
    }

    [Fact]
    public void A_run_naming_a_command_builds_only_that_command_and_any_other_run_builds_all()
    {
        Assert.Equal(["mtd"], QtzApp.BuildRoot(["mtd", "info"]).Subcommands.Select(c => c.Name));
        var all = CommandCatalog.Entries.Select(e => e.Name).ToArray();
        Assert.Equal(all, QtzApp.BuildRoot(["--help"]).Subcommands.Select(c => c.Name));
        Assert.Equal(all, QtzApp.BuildRoot(["mdt"]).Subcommands.Select(c => c.Name));
        Assert.Equal(all, QtzApp.BuildRoot([]).Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void Top_level_help_lists_every_command_and_a_misspelt_command_is_one_line_and_exit_2()
    {
        var help = QtzBinary.Run("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var (name, _) in CommandCatalog.Entries)
            Assert.Contains("  " + name, help.StdOut, StringComparison.Ordinal);
        var typo = QtzBinary.Run("mdt", "info");
        Assert.Equal(2, typo.ExitCode);
        Assert.Single(typo.StdErr.Trim().Split('\n'));
    }
}

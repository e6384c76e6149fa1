using System.Text.Json;
using Qtz.Acceptance.Tests.DeviceTree;
using Qtz.Cli.Infrastructure;
using Qtz.DeviceTree;
using Qtz.TestSupport;
using Xunit;
using Qtz.DeviceTree.Model;

namespace Qtz.Acceptance.Tests.Cli;

/// <summary>What a user relies on from any command-line tool, run through the real qtz.</summary>
public sealed class ConventionTests
{
    [Fact]
    public void Bare_qtz_and_qtz_help_print_the_top_level_help_and_exit_0()
    {
        foreach (var args in new[] { Array.Empty<string>(), ["help"] })
        {
            var run = QtzBinary.Run(args);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Exit codes:", run.StdOut, StringComparison.Ordinal);
            Assert.Contains("  fw", run.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_of_a_subcommand_shows_its_usage_and_an_unknown_one_is_named_with_a_suggestion()
    {
        var help = QtzBinary.Run("help", "fw", "verify");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("qtz fw verify <FILE>... [options]", help.StdOut, StringComparison.Ordinal);
        var typo = QtzBinary.Run("help", "fw", "verfy");
        Assert.Equal(2, typo.ExitCode);
        Assert.Equal("qtz: unknown command 'verfy' for 'qtz fw'; did you mean 'verify'? (see 'qtz fw --help')", typo.StdErr.Trim());
    }

    [Theory]
    [InlineData("bash", "complete -o filenames -F _qtz qtz", "--root-hash")]
    [InlineData("zsh", "bashcompinit", "--root-hash")]
    [InlineData("fish", "complete -c qtz", "-l root-hash")]
    public void Completion_scripts_come_from_the_command_tree(string shell, string marker, string option)
    {
        var run = QtzBinary.Run("completion", shell);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(marker, run.StdOut, StringComparison.Ordinal);
        foreach (var (name, _) in CommandCatalog.Entries)
            Assert.Contains(name, run.StdOut, StringComparison.Ordinal);
        Assert.Contains(option, run.StdOut, StringComparison.Ordinal);
    }

    [RequiresToolFact("bash")]
    public void The_bash_script_completes_a_subcommand_and_an_option()
    {
        var script = QtzBinary.Run("completion", "bash").StdOut;
        var probe = script + "\nCOMP_WORDS=(qtz fw ver); COMP_CWORD=2; _qtz; echo \"${COMPREPLY[*]}\"\n" +
                    "COMP_WORDS=(qtz fw verify --ro); COMP_CWORD=3; _qtz; echo \"${COMPREPLY[*]}\"\n";
        var run = ExternalTool.Run("bash", ["-c", probe]);
        Assert.Equal(["verify", "--root-hash"], run.StdOut.Trim().Split('\n'));
    }

    [Fact]
    public void The_man_page_documents_every_command_and_the_exit_codes()
    {
        var run = QtzBinary.Run("man");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(".TH QTZ 1", run.StdOut, StringComparison.Ordinal);
        Assert.Contains(".SS \"qtz fw verify FILE...\"", run.StdOut, StringComparison.Ordinal);
        Assert.Contains(".SH EXIT STATUS", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_is_named_as_such_with_a_suggestion_and_the_subcommands_help()
    {
        foreach (var args in new[] { new[] { "fw", "verify", "--jsn", "x.mbn" }, ["dt", "dump", "--jsno"] })
        {
            var run = QtzBinary.Run(args);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal($"qtz: unknown option '{args[2]}' for 'qtz {args[0]} {args[1]}'; did you mean '--json'? (see 'qtz {args[0]} {args[1]} --help')", run.StdErr.Trim());
        }
    }

    [Fact]
    public void With_json_an_error_is_a_json_object_on_stdout_and_one_line_on_stderr()
    {
        using var temp = new TempDirectory();
        var missing = temp.File("missing.mbn");
        var run = QtzBinary.Run("fw", "verify", missing, "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StdErr.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(run.StdOut);
        Assert.Equal(2, doc.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("badInput", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal("qtz fw verify", doc.RootElement.GetProperty("command").GetString());
        Assert.Contains("missing.mbn", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Boot_trace_picks_its_format_by_extension()
    {
        using var temp = new TempDirectory();
        var json = temp.File("t.json");
        var text = temp.File("t.log");
        Assert.Equal(0, QtzBinary.Run("boot", "--trace", json).ExitCode);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
            Assert.True(doc.RootElement.GetProperty("traceEvents").GetArrayLength() > 10);
        Assert.Equal(0, QtzBinary.Run("boot", "--trace", text).ExitCode);
        Assert.StartsWith("# ", File.ReadAllText(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Dt_get_exits_1_for_a_missing_node_or_property_as_fdtget_does()
    {
        Assert.Equal(1, QtzBinary.Run("dt", "get", DtFixtures.Ride, "/no-such-node").ExitCode);
        Assert.Equal(1, QtzBinary.Run("dt", "get", DtFixtures.Ride, DtFixtures.Adsp, "no-such-property").ExitCode);
        Assert.Equal(0, QtzBinary.Run("dt", "get", DtFixtures.Ride, DtFixtures.Adsp, "reg").ExitCode);
    }

    [Fact]
    public void A_path_component_finds_the_first_sibling_named_a_or_a_at_unit_in_order_as_libfdt()
    {
        var tree = new DtTree();
        var first = tree.Root.AddChild("a@1");
        tree.Root.AddChild("a");
        Assert.Same(first, tree.GetNode("/a"));
        Assert.Same(first, tree.GetNode("/a@1"));
    }

    [Fact]
    public void Progress_without_a_terminal_is_a_line_with_rate_and_eta()
    {
        var line = Terminal.Line("verify", 0.4, TimeSpan.FromSeconds(2), 100.0 * (1 << 20));
        Assert.Equal("verify:  40% (20.0 MiB/s, ETA 3s)", line);
        Assert.StartsWith("verify [############..................]", Terminal.Bar("verify", 0.4, TimeSpan.FromSeconds(2), null), StringComparison.Ordinal);
    }
}

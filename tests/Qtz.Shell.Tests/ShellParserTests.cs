using Qtz.Shell;
using Qtz.Shell.Reports;
using Xunit;

namespace Qtz.Shell.Tests;

public sealed class ShellParserTests
{
    private static IReadOnlyList<ShellCommand> Parse(string text) => new ShellParser("s.qtz").Parse(text);

    private static ShellCommand One(string text) => Assert.Single(Parse(text));

    private static ShellScriptException Bad(string text) => Assert.Throws<ShellScriptException>(() => Parse(text));

    [Fact]
    public void Every_verb_of_the_issue_parses_into_its_typed_command()
    {
        Assert.IsType<RprocListCommand>(One("rproc list"));
        Assert.Equal(new RprocActionCommand(1, RprocAction.Status, "adsp"), One("rproc status adsp"));
        Assert.Equal(new RprocActionCommand(1, RprocAction.Start, "adsp"), One("rproc start adsp"));
        Assert.Equal(new RprocActionCommand(1, RprocAction.Stop, "adsp"), One("rproc stop adsp"));
        Assert.Equal(new RprocCrashCommand(1, "adsp", CrashKind.Fatal), One("rproc crash adsp --kind fatal"));
        Assert.Equal(new RprocCrashCommand(1, "adsp", CrashKind.Hang), One("rproc crash adsp --kind=hang"));
        Assert.Equal(new RprocRecoveryCommand(1, "adsp", false), One("rproc recovery adsp off"));
        Assert.Equal(new RprocCoredumpCommand(1, "adsp", "a.core"), One("rproc coredump adsp -o a.core"));
        Assert.Equal(new RprocCoredumpModeCommand(1, "adsp", true), One("rproc coredump adsp enabled"));
        Assert.Equal(new RprocCoredumpModeCommand(1, "adsp", false), One("rproc coredump adsp disabled"));
        Assert.Equal(new WaitCommand(1, TimeSpan.FromMilliseconds(500)), One("wait 500ms"));
        Assert.Equal(new SmmuShowCommand(1, null), One("smmu show"));
        Assert.Equal(new SmmuShowCommand(1, "cdsp0"), One("smmu show cdsp0"));
        Assert.Equal(new MemReadCommand(1, 0x95c0_0000, 64, new MemoryView(MemoryViewKind.Dsp, "adsp")), One("mem read 0x95c00000 64 --as dsp:adsp"));
        Assert.Equal(new MemReadCommand(1, 0x1000, 4096, MemoryView.Linux), One("mem read 4096 4KiB"));
        Assert.Equal(new MemReadCommand(1, 0x1000, 16, new MemoryView(MemoryViewKind.Secure)), One("mem read --as secure 0x1000 16"));
        Assert.IsType<MemMapCommand>(One("mem map"));
        Assert.Equal(new ScmTraceCommand(1, true), One("scm trace on"));
        Assert.IsType<FusesShowCommand>(One("fuses show"));
        Assert.Equal(new FusesSetCommand(1, "rollback", "3"), One("fuses set rollback 3"));
        Assert.Equal(new ExpectCommand(1, RprocState.Crashed, "adsp"), One("expect crashed adsp"));
        Assert.Equal(new HelpCommand(1, null), One("help"));
    }

    [Fact]
    public void Crash_kind_defaults_to_watchdog() =>
        Assert.Equal(new RprocCrashCommand(1, "adsp", CrashKind.Watchdog), One("rproc crash adsp"));

    [Theory]
    [InlineData("500ms", 5_000_000)]
    [InlineData("5s", 50_000_000)]
    [InlineData("1.5s", 15_000_000)]
    [InlineData("250us", 2_500)]
    [InlineData("2", 20_000_000)]
    public void Durations_accept_units(string text, long ticks) =>
        Assert.Equal(new WaitCommand(1, TimeSpan.FromTicks(ticks)), One("wait " + text));

    [Fact]
    public void Newlines_and_semicolons_separate_statements_with_their_line_numbers()
    {
        var commands = Parse("rproc list; wait 1s\n\n# a comment\nexpect running adsp # trailing\n");
        Assert.Equal([1, 1, 4], commands.Select(c => c.Line));
    }

    [Fact]
    public void Quotes_keep_spaces_semicolons_and_hashes_in_one_word()
    {
        var c = Assert.IsType<RprocCoredumpCommand>(One("rproc coredump adsp -o \"my dir/a;b#c.core\""));
        Assert.Equal("my dir/a;b#c.core", c.OutputPath);
        Assert.Equal("a \"b\" c", Assert.IsType<FusesSetCommand>(One("fuses set note 'a \"b\" c'")).Value);
        Assert.Equal("say \"hi\"", Assert.IsType<FusesSetCommand>(One("fuses set note \"say \\\"hi\\\"\"")).Value);
    }

    [Fact]
    public void Unknown_verb_names_the_line()
    {
        var error = Bad("rproc list\n\nfrobnicate adsp");
        Assert.Equal(3, error.Line);
        Assert.StartsWith("s.qtz:3: unknown verb 'frobnicate'", error.Message);
    }

    [Theory]
    [InlineData("rproc start")]
    [InlineData("rproc start adsp cdsp0")]
    [InlineData("rproc list adsp")]
    [InlineData("wait")]
    [InlineData("expect running")]
    [InlineData("smmu show a b")]
    [InlineData("mem read 0x1000")]
    [InlineData("scm trace")]
    [InlineData("fuses set rollback")]
    public void Wrong_arity_is_a_script_error(string text) =>
        Assert.Contains("wrong number of arguments", Bad(text).Message);

    [Theory]
    [InlineData("mem read 0xZZ 16", "bad number '0xZZ' for ADDR")]
    [InlineData("mem read 0x1000 ten", "bad number 'ten' for LEN")]
    [InlineData("mem read 0x1000 1MiB", "out of range")]
    [InlineData("wait soon", "bad duration 'soon'")]
    [InlineData("wait 0s", "bad duration")]
    [InlineData("rproc crash adsp --kind meteor", "bad --kind 'meteor'")]
    [InlineData("rproc recovery adsp maybe", "expected on or off")]
    [InlineData("expect exploded adsp", "bad STATE 'exploded'")]
    [InlineData("mem read 0 4 --as gpu", "not a bus master")]
    [InlineData("rproc coredump adsp", "needs -o FILE")]
    [InlineData("rproc coredump adsp maybe", "the setting is enabled or disabled")]
    [InlineData("rproc crash adsp --force", "unknown option '--force'")]
    [InlineData("rproc", "needs a sub-command")]
    [InlineData("rproc reboot adsp", "unknown sub-command 'rproc reboot'")]
    [InlineData("fuses set x \"unterminated", "unterminated \" quote")]
    public void Bad_values_say_what_was_wrong(string text, string expected)
    {
        var error = Bad(text);
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("s.qtz:1: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

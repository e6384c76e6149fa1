using System.Text.Json;
using Qtz.Firmware.Elf;
using Qtz.Platform.Boards;
using Qtz.Shell;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Shell;

/// <summary>The committed scenario scripts of issue 7, run on the default board through qtz and through the API.</summary>
public sealed class ShellScenarioTests
{
    private static string Scenario(string name) => TestPaths.InRepository("tests", "Qtz.Acceptance.Tests", "Shell", "scenarios", name);

    [Theory]
    [InlineData("crash-recovery.qtz")]
    [InlineData("recovery-off.qtz")]
    public void Committed_scenario_passes_through_the_binary(string script)
    {
        var run = QtzBinary.Run("shell", Scenario(script));
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal("", run.StdErr);
    }

    [Fact]
    public void Stop_start_100_times_leaks_nothing()
    {
        var board = Board.Build();
        board.Boot();
        var target = new BoardShellTarget(board);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ShellSession.RunScript(File.ReadAllText(Scenario("stop-start-100.qtz")), "stop-start-100.qtz", target, output, error);
        Assert.True(code == 0, error.ToString());
        board.ShutdownAll();
        BoardInvariants.Assert(board);
    }

    [Fact]
    public void Recovery_restores_the_same_mappings_as_a_clean_boot()
    {
        var board = Board.Build();
        board.Boot();
        var target = new BoardShellTarget(board);
        var clean = target.SmmuMappings(null);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ShellSession.RunScript("rproc recovery adsp on; rproc recovery cdsp0 on\nrproc crash adsp --kind watchdog; rproc crash cdsp0 --kind fatal\nwait 100ms\nexpect running adsp; expect running cdsp0", "t.qtz", target, output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Equal(2, target.Remoteprocs.Where(r => r.Name is "adsp" or "cdsp0").Sum(r => r.Crashes));
        Assert.Equal(clean, target.SmmuMappings(null));
    }

    [Theory]
    [InlineData("rproc list\nfrobnicate adsp", "-c:2: unknown verb 'frobnicate'")]
    [InlineData("rproc list; rproc start", "-c:1: wrong number of arguments")]
    [InlineData("rproc list\n\nrproc stop mpss", "-c:3: unknown remoteproc 'mpss'")]
    public void Bad_script_input_is_one_line_naming_the_line_and_exit_2(string script, string expected)
    {
        var run = QtzBinary.Run("shell", "-c", script);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, run.StdErr);
        Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Failed_expect_exits_1_naming_the_line()
    {
        var run = QtzBinary.Run("shell", "-c", "rproc list\nexpect crashed adsp");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("-c:2: expect crashed adsp: adsp is running", run.StdErr);
    }

    [Fact]
    public void Trace_report_and_coredump_come_out_of_one_session()
    {
        using var dir = new TempDirectory();
        var run = QtzBinary.Run("shell", "-c", $"rproc recovery adsp on; rproc crash adsp; wait 100ms; rproc coredump adsp -o {dir.File("adsp.core")}",
            "--trace", dir.File("t.json"), "--report", dir.File("r.html"));
        Assert.True(run.ExitCode == 0, run.StdErr);

        using var trace = JsonDocument.Parse(File.ReadAllText(dir.File("t.json")));
        var events = trace.RootElement.GetProperty("traceEvents").EnumerateArray().ToArray();
        var tracks = events.Where(e => e.GetProperty("name").GetString() == "thread_name").Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToArray();
        Assert.Contains("scm", tracks);
        Assert.Contains("rproc:adsp", tracks);
        foreach (var group in events.Where(e => e.GetProperty("ph").GetString() != "M").GroupBy(e => e.GetProperty("tid").GetInt32()))
        {
            var ts = group.Select(e => e.GetProperty("ts").GetDouble()).ToArray();
            Assert.Equal(ts.Order(), ts);
        }

        var html = File.ReadAllText(dir.File("r.html"));
        var board = Board.Build();
        foreach (var r in board.Remoteprocs)
            Assert.Contains(r.CarveoutName, html);

        var elf = ElfFile.Parse(File.ReadAllBytes(dir.File("adsp.core")));
        Assert.Equal(4, elf.Header.Type);
        Assert.NotEmpty(elf.ProgramHeaders);
        Assert.All(elf.ProgramHeaders, p => Assert.True(p.IsLoad));
    }

    [Fact]
    public void With_coredump_enabled_a_crash_leaves_a_recovery_dump_that_the_shell_writes_once()
    {
        using var dir = new TempDirectory();
        var run = QtzBinary.Run("shell", "-c",
            $"rproc recovery adsp on; rproc coredump adsp enabled; rproc crash adsp --kind fatal; wait 100ms; rproc status adsp; rproc coredump adsp -o {dir.File("crash.core")}; rproc coredump adsp -o {dir.File("live.core")}");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("coredump: enabled", run.StdOut);
        Assert.Contains("devcoredump: unread, from ", run.StdOut);
        Assert.Contains("crash.core (recovery dump at ", run.StdOut);
        Assert.Contains("live.core (segments as they are now: ", run.StdOut);
        var crash = ElfFile.Parse(File.ReadAllBytes(dir.File("crash.core")));
        var live = ElfFile.Parse(File.ReadAllBytes(dir.File("live.core")));
        Assert.Equal(4, crash.Header.Type);
        Assert.Equal(live.ProgramHeaders.Select(p => (p.PhysicalAddress, p.MemorySize)), crash.ProgramHeaders.Select(p => (p.PhysicalAddress, p.MemorySize)));
    }
}

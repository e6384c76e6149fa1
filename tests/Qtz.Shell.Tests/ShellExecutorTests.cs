using Qtz.Firmware.Elf;
using Qtz.Shell;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Shell.Tests;

public sealed class ShellExecutorTests
{
    private static (int Code, string Out, string Err) Run(string script, FakeShellTarget? target = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ShellSession.RunScript(script, "scenario.qtz", target ?? new FakeShellTarget(), output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_passing_scenario_exits_0()
    {
        var (code, _, err) = Run("""
            rproc stop adsp
            expect offline adsp
            rproc start adsp
            expect running adsp
            rproc crash adsp --kind watchdog
            expect running adsp
            """);
        Assert.Equal("", err);
        Assert.Equal(0, code);
    }

    [Fact]
    public void Expect_mismatch_exits_1_naming_the_line()
    {
        var (code, _, err) = Run("rproc recovery adsp off\nrproc crash adsp --kind fatal\nexpect running adsp\nrproc list");
        Assert.Equal(1, code);
        Assert.Equal("scenario.qtz:3: expect running adsp: adsp is crashed at 0.000000s", err.Trim());
    }

    [Fact]
    public void Unknown_remoteproc_exits_2_before_anything_runs()
    {
        var target = new FakeShellTarget();
        var (code, _, err) = Run("rproc stop adsp\n\nrproc start mpss", target);
        Assert.Equal(2, code);
        Assert.StartsWith("scenario.qtz:3: unknown remoteproc 'mpss' (this board has: adsp, cdsp0, gpdsp0)", err.Trim());
        Assert.Empty(target.Calls);
    }

    [Fact]
    public void A_syntax_error_exits_2_and_runs_nothing()
    {
        var target = new FakeShellTarget();
        var (code, _, err) = Run("rproc stop adsp\nrproc start", target);
        Assert.Equal(2, code);
        Assert.StartsWith("scenario.qtz:2: wrong number of arguments", err);
        Assert.Empty(target.Calls);
    }

    [Fact]
    public void An_operation_the_board_refuses_stops_the_script_with_exit_1()
    {
        var target = new FakeShellTarget();
        var (code, _, err) = Run("rproc start adsp\nrproc stop adsp", target);
        Assert.Equal(1, code);
        Assert.Equal("scenario.qtz:1: adsp is running: rproc_boot refuses (-EBUSY)", err.Trim());
        Assert.Equal(["start adsp"], target.Calls);
    }

    [Fact]
    public void A_bad_fuse_name_from_the_board_is_a_script_error()
    {
        var (code, _, err) = Run("fuses set colour blue");
        Assert.Equal(2, code);
        Assert.StartsWith("scenario.qtz:1: unknown fuse 'colour'", err);
    }

    [Fact]
    public void Recovery_off_leaves_it_crashed_and_repeated_crashes_count()
    {
        var target = new FakeShellTarget();
        var (code, _, _) = Run("rproc crash adsp; rproc crash adsp --kind fatal; expect running adsp; rproc recovery adsp off; rproc crash adsp; expect crashed adsp", target);
        Assert.Equal(0, code);
        Assert.Equal(3, target.Remoteprocs.Single(r => r.Name == "adsp").Crashes);
    }

    [Fact]
    public void A_hang_is_caught_only_after_virtual_time_passes()
    {
        var (code, _, err) = Run("rproc recovery cdsp0 off\nrproc crash cdsp0 --kind hang\nexpect running cdsp0\nwait 4.9s\nexpect running cdsp0\nwait 100ms\nexpect crashed cdsp0");
        Assert.Equal("", err);
        Assert.Equal(0, code);
    }

    [Fact]
    public void List_and_status_print_the_sysfs_state_names()
    {
        var (code, output, _) = Run("rproc list\nrproc status adsp");
        Assert.Equal(0, code);
        Assert.Contains("NAME    STATE    RECOVERY  CRASHES  FIRMWARE", output);
        Assert.Contains("adsp    running  enabled   0        qcom/sa8775p/adsp.mbn", output);
        Assert.Contains("state: running", output);
    }

    [Fact]
    public void Board_console_lines_are_printed_after_each_command()
    {
        var (_, output, _) = Run("scm trace on\nrproc stop adsp");
        Assert.Contains("remoteproc adsp: running -> offline", output);
        Assert.Contains("scm: fake call", output);
    }

    [Fact]
    public void Mem_read_prints_a_hex_dump_or_the_fault()
    {
        var (code, output, _) = Run("mem read 0x1000 20 --as secure\nmem read 0x95c00000 16");
        Assert.Equal(0, code);
        Assert.Contains("0000000000001000: 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50  ABCDEFGHIJKLMNOP", output);
        Assert.Contains("0000000000001010: 51 52 53 54", output);
        Assert.Contains("mem read 0x95c00000 as linux: fault: HLOS may not read the locked carveout", output);
    }

    [Fact]
    public void Mem_map_smmu_and_fuses_print_tables()
    {
        var (code, output, _) = Run("mem map; smmu show adsp; smmu show cdsp0; fuses set rollback 2; fuses show");
        Assert.Equal(0, code);
        Assert.Contains("pil-adsp", output);
        Assert.Contains("0x3000", output);
        Assert.Contains("no SMMU mappings", output);
        Assert.Contains("rollback  2", output);
    }

    [Fact]
    public void Coredump_writes_an_elf_core_the_reader_parses()
    {
        using var dir = new TempDirectory();
        var path = dir.File("adsp.core");
        var (code, output, err) = Run($"rproc coredump adsp -o \"{path}\"");
        Assert.Equal("", err);
        Assert.Equal(0, code);
        Assert.Contains("2 segments", output);
        var elf = ElfFile.Parse(File.ReadAllBytes(path));
        Assert.Equal(2, elf.ProgramHeaders.Count);
        Assert.Equal(0x9590_0000UL, elf.ProgramHeaders[1].PhysicalAddress);
    }

    [Fact]
    public void Help_lists_every_verb()
    {
        var (code, output, _) = Run("help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "rproc list", "rproc coredump", "wait", "smmu show", "mem read", "mem map", "scm trace", "fuses show", "expect", "help" })
            Assert.Contains(verb, output);
    }

    [Fact]
    public void Interactive_mode_reports_errors_and_keeps_going()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader("bogus\nrproc stop adsp; expect offline adsp\nexpect running adsp\nexit\nrproc list\n");
        var code = ShellSession.Interactive(new FakeShellTarget(), input, output, error);
        Assert.Equal(1, code);
        var errors = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.StartsWith("<stdin>:1: unknown verb 'bogus'", errors[0]);
        Assert.StartsWith("<stdin>:3: expect running adsp", errors[1]);
        Assert.Contains("qtz> ", output.ToString());
        Assert.DoesNotContain("NAME", output.ToString()); // nothing after exit
    }
}

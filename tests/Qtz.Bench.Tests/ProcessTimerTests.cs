using Qtz.Bench;
using Xunit;

namespace Qtz.Bench.Tests;

/// <summary>How whole processes are run and timed: through the shell, or straight from an argv.</summary>
public sealed class ProcessTimerTests
{
    [Fact]
    public void A_direct_command_runs_its_program_with_its_arguments_as_they_are_and_no_shell_reads_them()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"qtz-direct-{Guid.NewGuid():N}");
        var command = TimedCommand.Direct("touch", ["touch", marker + "; exit 3"]);
        Assert.Equal($"'touch' '{marker}; exit 3'", command.ShellCommand);
        try
        {
            var run = ProcessTimer.Once(command, Path.GetTempPath());
            Assert.Equal(0, run.ExitCode);
            Assert.True(File.Exists(marker + "; exit 3"));
            Assert.Null(run.PeakRssKiB);
            Assert.InRange(run.Seconds, 0, 60);
        }
        finally
        {
            File.Delete(marker + "; exit 3");
        }
    }

    [Fact]
    public void A_direct_command_that_fails_reports_its_exit_code_and_last_error_line()
    {
        var run = ProcessTimer.Once(TimedCommand.Direct("ls", ["ls", "/nonexistent-qtz-path"]), Path.GetTempPath());
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("nonexistent-qtz-path", run.LastErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Interleaved_direct_commands_give_one_figure_each_in_the_order_given()
    {
        var figures = ProcessTimer.Interleaved([TimedCommand.Direct("true", ["true"]), TimedCommand.Direct("false", ["false"])], runs: 3, warmUp: true, bytes: 0, Path.GetTempPath());
        Assert.Equal(["true", "false"], figures.Select(f => f.Tool));
        Assert.All(figures, f => Assert.Equal(3, f.Samples.Count));
        Assert.Equal(0, figures[0].ExitCode);
        Assert.Equal(1, figures[1].ExitCode);
    }
}

using System.Diagnostics;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Linux.Tests;

/// <summary>The commands' bad-input paths: one line on stderr, exit 2, before anything boots.</summary>
public class LinuxCliTests
{
    private static (int Code, string StdErr) RunWithPath(string path, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "/usr/bin/dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(QtzBinary.DllPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["PATH"] = path;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result.Trim());
    }

    [Fact]
    public void Without_QEMU_a_run_exits_2_naming_the_package_that_installs_it()
    {
        var (code, stderr) = RunWithPath("/nonexistent", "linux", "run", "-c", "true");
        Assert.Equal(2, code);
        Assert.Equal("qtz: 'qemu-system-aarch64' is not installed; install it with: sudo apt-get install qemu-system-arm", stderr);
    }

    [Fact]
    public void An_unknown_mode_or_suite_is_bad_input_in_one_line()
    {
        var mode = QtzBinary.Run("linux", "run", "--mode", "el3", "-c", "true");
        Assert.Equal(2, mode.ExitCode);
        Assert.Equal("qtz: --mode 'el3': expected qhee or kvm", mode.StdErr.Trim());
        var suite = QtzBinary.Run("linux", "test", "nosuch");
        Assert.Equal(2, suite.ExitCode);
        Assert.Single(suite.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public void Script_and_command_together_are_refused()
    {
        var r = QtzBinary.Run("linux", "run", "--script", "a.sh", "-c", "true");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("qtz: give --script FILE or -c CMD, not both", r.StdErr.Trim());
    }

    [Fact]
    public void A_bad_timeout_is_refused_with_examples()
    {
        var r = QtzBinary.Run("linux", "run", "--timeout", "soon", "-c", "true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("expected a duration such as 300s", r.StdErr, StringComparison.Ordinal);
    }
}

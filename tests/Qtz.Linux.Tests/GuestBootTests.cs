using System.Diagnostics;
using Qtz.TestSupport;
using Xunit;
using Qtz.Linux.Run;
using Qtz.Linux.Setup;

namespace Qtz.Linux.Tests;

/// <summary>Real boots of Debian's kernel under QEMU (a few seconds each): exit status, panic, cancellation, cleanup.</summary>
[Collection(GuestBoots.Name)]
public class GuestBootTests
{
    private static GuestRunResult Boot(string script, Action<string>? console = null, CancellationToken cancel = default) =>
        GuestRun.Run(new GuestRunOptions { Script = script, Console = console, Timeout = TimeSpan.FromMinutes(2) }, LinuxCache.Default(), cancel);

    // Other qtz processes on the machine may boot guests too: ours are the ones whose RAM file names
    // carry the owning qtz's process id (qtz-guest-PID-…).
    private static string[] GuestRamFiles(int owner) => Directory.Exists("/dev/shm") ? Directory.GetFiles("/dev/shm", $"qtz-guest-{owner}-*") : [];

    private static string[] GuestRamFiles() => GuestRamFiles(Environment.ProcessId);

    private static int[] QemuPids(int owner) =>
        [.. Process.GetProcessesByName("qemu-system-aarch64").Where(p => CommandLine(p.Id).Contains($"/qtz-guest-{owner}-", StringComparison.Ordinal)).Select(p => p.Id)];

    private static int[] QemuPids() => QemuPids(Environment.ProcessId);

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    [RequiresLinuxGuestFact]
    public void The_scripts_exit_status_is_the_runs_and_the_real_qcom_scm_probed_against_qtz()
    {
        var before = QemuPids();
        var result = Boot("dmesg | grep -q 'qcom_scm: convention: smc arm 64' || exit 9\nexit 7\n");
        Assert.Equal(GuestOutcome.Exited, result.Outcome);
        Assert.Equal(7, result.ScriptStatus);
        Assert.True(result.ForwardedSmcs > 0);
        Assert.NotNull(result.BootToInit);
        Assert.Empty(GuestRamFiles());
        Assert.Empty(QemuPids().Except(before));
    }

    [RequiresLinuxGuestFact]
    public void A_kernel_panic_ends_the_run_as_panicked_with_the_console_kept()
    {
        var result = Boot("echo 1 > /proc/sys/kernel/sysrq\necho c > /proc/sysrq-trigger\nsleep 30\n");
        Assert.Equal(GuestOutcome.Panicked, result.Outcome);
        Assert.Null(result.ScriptStatus);
        Assert.Contains(result.Console, l => l.Contains("Kernel panic - not syncing", StringComparison.Ordinal));
        Assert.Empty(GuestRamFiles());
    }

    [RequiresLinuxGuestFact]
    public void Cancelling_a_run_kills_QEMU_and_removes_the_RAM_file()
    {
        var before = QemuPids();
        using var cancel = new CancellationTokenSource();
        var result = Boot("sleep 600\n", line => { if (line.StartsWith("qtz-init: reached", StringComparison.Ordinal)) cancel.Cancel(); }, cancel.Token);
        Assert.Equal(GuestOutcome.Interrupted, result.Outcome);
        Assert.Empty(GuestRamFiles());
        Assert.Empty(QemuPids().Except(before));
    }

    [RequiresLinuxGuestFact]
    public void Ctrl_C_on_qtz_linux_run_exits_1_and_leaves_no_QEMU_and_no_RAM_file()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { QtzBinary.DllPath, "linux", "run", "-c", "sleep 600" }) info.ArgumentList.Add(a);
        using var qtz = Process.Start(info)!;
        var stderr = qtz.StandardError.ReadToEndAsync();
        string? line;
        while ((line = qtz.StandardOutput.ReadLine()) is not null && !line.StartsWith("qtz-init: reached", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        Process.Start("kill", ["-INT", qtz.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        qtz.StandardOutput.ReadToEnd();
        Assert.True(qtz.WaitForExit(30_000), "qtz did not exit after SIGINT");
        Assert.Equal(1, qtz.ExitCode);
        Assert.Contains("interrupted", stderr.Result, StringComparison.Ordinal);
        Assert.Empty(GuestRamFiles(qtz.Id));
        Assert.Empty(QemuPids(qtz.Id));
    }
}

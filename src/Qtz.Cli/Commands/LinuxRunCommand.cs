using System.CommandLine;
using System.Globalization;
using Qtz.Cli.Infrastructure;
using Qtz.Linux;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Linux.Run;
using Qtz.Linux.Setup;
using Qtz.Secure.Hypervisor;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz linux run</c>: boot the guest, run a script in its shell, exit with the script's status.</summary>
internal static class LinuxRunCommand
{
    public static Command Create()
    {
        var mode = new Option<string>("--mode") { Description = "qhee: Linux at EL1 under qtz's QHEE model; kvm: Linux entered at EL2", DefaultValueFactory = _ => "qhee" };
        var kernel = new Option<string?>("--kernel") { Description = "Boot this linux-image .deb or arm64 Image (raw or .gz) instead of the one setup fetched" };
        var modules = new Option<string?>("--modules") { Description = "Folder whose *.ko go to /lib/modules/qtz in the guest (your out-of-tree or rebuilt modules)" };
        var firmware = new Option<string?>("--firmware") { Description = "Folder copied to /lib/firmware in the guest" };
        var dtb = new Option<string?>("--dtb") { Description = "Boot with this DTB instead of the generated one (qtz sets /chosen's bootargs and initrd)" };
        var saveDtb = new Option<string?>("--save-dtb") { Description = "Write the DTB the guest boots with to FILE" };
        var flash = new Option<string?>("--flash") { Description = "Flash image file behind TrustZone's storage service (the guest's qcom_scm_storage device)" };
        var tzWrite = new Option<string>("--tz-write") { Description = "What TZ's WRITE does: program (AND) or erase-program", DefaultValueFactory = _ => "program" };
        var allowWrite = new Option<bool>("--allow-write") { Description = "Let TZ write and erase the flash (read-only by default)" };
        var script = new Option<string?>("--script") { Description = "Shell script to run in the guest (its exit status is qtz's)" };
        var inline = new Option<string?>("-c") { Description = "Shell command to run in the guest instead of --script" };
        var trace = new Option<string?>("--trace") { Description = "Write the decoded SCM trace (one line per SMC) to FILE" };
        var timeout = new Option<string>("--timeout") { Description = "Give up after this wall time (300s, 5m)", DefaultValueFactory = _ => "300s" };
        var bootargs = new Option<string?>("--bootargs") { Description = "Extra kernel command line" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not stream the guest console (it is still shown on failure)" };
        var inject = new Option<string[]>("--inject") { Description = "Host-side DSP fault, a time after that DSP first came up: 'crash adsp@5s', 'wdog cdsp0@2500ms', 'hang gpdsp1@10s' (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("run", "Boot the guest on qtz's TrustZone, run a script in its shell, stream the console, exit with the script's status");
        foreach (var o in new Option[] { mode, kernel, modules, firmware, dtb, saveDtb, flash, tzWrite, allowWrite, script, inline, trace, timeout, bootargs, quiet, inject })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var text = (parse.GetValue(script), parse.GetValue(inline)) switch
            {
                ({ } _, { } _) => throw new CliUsageException("give --script FILE or -c CMD, not both"),
                ({ } file, null) => File.Exists(file) ? File.ReadAllText(file) : throw new CliUsageException($"--script '{file}' does not exist"),
                (null, { } cmd) => cmd + "\n",
                _ => "true\n",
            };
            var options = new GuestRunOptions
            {
                Mode = LinuxCliSupport.Mode(parse.GetValue(mode)!),
                Kernel = parse.GetValue(kernel),
                Modules = parse.GetValue(modules),
                Firmware = parse.GetValue(firmware),
                Dtb = parse.GetValue(dtb),
                SaveDtb = parse.GetValue(saveDtb),
                Script = text,
                TracePath = parse.GetValue(trace),
                Timeout = LinuxCliSupport.Duration(parse.GetValue(timeout)!, "--timeout"),
                Bootargs = parse.GetValue(bootargs),
                Console = parse.GetValue(quiet) ? null : Console.Out.WriteLine,
                FlashOptions = new TzStorageOptions { WriteSemantics = LinuxCliSupport.TzWrite(parse.GetValue(tzWrite)!), AllowWrite = parse.GetValue(allowWrite) },
            };
            options = options with
            {
                Extensions = [LinuxRemoteprocCli.Remoteprocs(options.Mode, parse.GetValue(inject) ?? [])],
                ExtraFiles = [.. options.ExtraFiles, .. Qtz.Linux.Remoteproc.GuestRemoteprocs.GuestFiles],
            };
            var flashImage = parse.GetValue(flash) is { } image ? FlashImage.Open(image, readOnly: !parse.GetValue(allowWrite)) : null;
            options = options with { Flash = flashImage };
            using var interrupt = new LinuxInterrupt();
            var result = GuestRun.Run(options, LinuxCache.Default(), interrupt.Token);
            return LinuxCliSupport.Report(result, "linux run", showConsoleOnFailure: parse.GetValue(quiet));
        });
        return command;
    }
}

/// <summary>Parsing and reporting shared by the <c>qtz linux</c> commands.</summary>
internal static class LinuxCliSupport
{
    public static GuestMode Mode(string text) => text switch
    {
        "qhee" => GuestMode.Qhee,
        "kvm" => GuestMode.Kvm,
        _ => throw new CliUsageException($"--mode '{text}': expected qhee or kvm"),
    };

    public static TzWriteSemantics TzWrite(string text) => text switch
    {
        "program" => TzWriteSemantics.Program,
        "erase-program" => TzWriteSemantics.EraseProgram,
        _ => throw new CliUsageException($"--tz-write '{text}': expected program or erase-program"),
    };

    /// <summary>300, 300s, 5m, 1500ms.</summary>
    public static TimeSpan Duration(string text, string option)
    {
        var s = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        var unit = units.FirstOrDefault(u => s.EndsWith(u.Suffix, StringComparison.Ordinal) && (u.Suffix != "s" || !s.EndsWith("ms", StringComparison.Ordinal)));
        var number = unit.Suffix is null ? s : s[..^unit.Suffix.Length];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 86400 / (unit.Seconds == 0 ? 1 : unit.Seconds))
            throw new CliUsageException($"{option} '{text}': expected a duration such as 300s, 5m or 1500ms");
        return TimeSpan.FromSeconds(value * (unit.Suffix is null ? 1 : unit.Seconds));
    }

    /// <summary>The one-line summary on stderr and the exit code: the script's status, 1 for a panic/timeout/stop, 1 when interrupted.</summary>
    public static int Report(GuestRunResult result, string what, bool showConsoleOnFailure)
    {
        var boot = result.BootToInit is { } b ? $", boot to /init {b.TotalSeconds:0.00} s" : "";
        var stats = string.Create(CultureInfo.InvariantCulture, $"{result.Wall.TotalSeconds:0.0} s wall{boot}, {result.ForwardedSmcs} SMCs");
        switch (result.Outcome)
        {
            case GuestOutcome.Exited when result.ScriptStatus is { } status:
                Console.Error.WriteLine($"{what}: script exited {status} ({stats})");
                return status;
            case GuestOutcome.Interrupted:
                Console.Error.WriteLine($"{what}: interrupted; QEMU stopped and its files removed ({stats})");
                return ExitCodes.CheckFailed;
            default:
                if (showConsoleOnFailure)
                    foreach (var line in result.LastLines(20)) Console.Error.WriteLine(line);
                var why = result.Outcome switch
                {
                    GuestOutcome.Panicked => "the guest kernel panicked",
                    GuestOutcome.TimedOut => "timed out",
                    _ => "QEMU stopped before the script finished" + (result.QemuError is { } e ? ": " + e : ""),
                };
                var last = string.Join(" | ", result.LastLines(5).Where(l => l.Length > 0));
                Console.Error.WriteLine($"qtz: {what}: {why} ({stats}); last console lines: {last}");
                return ExitCodes.CheckFailed;
        }
    }
}

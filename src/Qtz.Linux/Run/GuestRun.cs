using System.Diagnostics;
using Qtz.DeviceTree;
using Qtz.Linux.Bridge;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.Linux.Guest;
using Qtz.Linux.Setup;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Linux.Run;

/// <summary>
/// One boot of the guest: the RAM file (under /dev/shm, unique per run) mapped as qtz's DDR, qtz's
/// secure world behind the doorbell bridge, the device tree and the two-part initramfs, QEMU started
/// on them; the console streamed until the script's exit marker, a panic, the timeout or
/// cancellation. Whatever happens, QEMU is killed if still running and the RAM file, socket and work
/// folder are deleted before <see cref="Run"/> returns (the RAM file even earlier: once QEMU has it
/// mapped, at the monitor's first SMC, its name is no longer needed).
/// </summary>
public static class GuestRun
{
    public const string DefaultBootargs = "console=ttyAMA0 panic=-1 rdinit=/init";

    public static GuestRunResult Run(GuestRunOptions options, LinuxCache cache, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cache);
        options = LinuxGuestExtensions.WithDefaults(options);
        var qemu = HostTools.Require(HostTools.Qemu);
        cache.RequireReady();
        var monitor = cache.Monitor(QemuMachine.EntryEl(options.Mode));
        var unique = $"{Environment.ProcessId}-{Guid.NewGuid():n}"[..24];
        var work = Directory.CreateTempSubdirectory("qtz-linux-").FullName;
        var shm = Directory.Exists("/dev/shm") ? "/dev/shm" : work;
        var ramPath = Path.Combine(shm, $"qtz-guest-{unique}.ram");
        var wall = Stopwatch.StartNew();
        MappedFileRam? ram = null;
        GuestWorld? world = null;
        SmcBridge? bridge = null;
        GuestTrace? trace = null;
        Process? process = null;
        Thread? bridgeThread = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        try
        {
            var kernel = KernelImage.Resolve(options.Kernel, cache, work);
            var initrd = WriteInitrd(options, cache, work);
            ram = MappedFileRam.Create(ramPath, GuestMemoryMap.Ram.Size);
            world = new GuestWorld(ram, new GuestWorldOptions { Seed = options.Seed, Flash = options.Flash, FlashOptions = options.FlashOptions, Extensions = options.Extensions });
            trace = new GuestTrace(world.Conduit, world.Bus, options.TracePath);
            var mailbox = new Mailbox(ram, GuestMemoryMap.MailboxFileOffset);
            mailbox.Attach();
            var dtb = WriteDtb(options, qemu, monitor, work, new PhysRange(GuestMemoryMap.Initrd, (ulong)new FileInfo(initrd).Length), world);
            bridge = new SmcBridge(mailbox, world.Conduit, new GuestClock(world.Clock), Path.Combine(work, "doorbell.sock"));
            var bridgeRef = bridge;
            bridgeThread = new Thread(() => bridgeRef.Run(stop.Token)) { IsBackground = true, Name = "qtz-smc-bridge" };
            bridgeThread.Start();
            foreach (var extension in options.Extensions) extension.Started(world, bridge);

            var watcher = new ConsoleWatcher(options.Console);
            var qemuErrors = new List<string>();
            process = StartQemu(qemu, QemuMachine.RunArguments(monitor, ramPath, bridge.SocketPath, kernel, dtb, initrd), watcher, qemuErrors);
            var outcome = Wait(process, watcher, bridge, ramPath, options.Timeout, stop.Token);
            if (outcome != GuestOutcome.Exited) Kill(process);
            process.WaitForExit();
            if (bridge.Failure is { } failure) throw new InvalidOperationException($"qtz's secure world failed while serving the guest: {failure.Message}", failure);
            if (outcome == GuestOutcome.Exited && watcher.ExitStatus is null)
                outcome = watcher.Panicked ? GuestOutcome.Panicked : GuestOutcome.Stopped;
            string? qemuError;
            lock (qemuErrors) qemuError = qemuErrors.LastOrDefault(l => l.Length > 0);
            return new GuestRunResult(outcome, watcher.ExitStatus, wall.Elapsed, watcher.InitUptime, watcher.Lines, bridge.Calls,
                new GuestTraceSummary(trace.Calls, trace.StorageCalls), qemuError);
        }
        finally
        {
            stop.Cancel();
            if (process is not null)
            {
                Kill(process);
                process.Dispose();
            }

            bridgeThread?.Join(TimeSpan.FromSeconds(5));
            bridge?.Dispose();
            trace?.Dispose();
            world?.Dispose();
            ram?.Dispose();
            File.Delete(ramPath);
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string WriteInitrd(GuestRunOptions options, LinuxCache cache, string work)
    {
        if (options.Modules is { } m && !Directory.Exists(m)) throw new DirectoryNotFoundException($"--modules '{m}' is not a folder");
        if (options.Firmware is { } f && !Directory.Exists(f)) throw new DirectoryNotFoundException($"--firmware '{f}' is not a folder");
        var path = Path.Combine(work, "initrd.cpio");
        using var output = File.Create(path);
        using (var input = File.OpenRead(cache.BaseInitramfs)) input.CopyTo(output);
        output.Write(GuestInitramfs.RunArchive(options.Script, options.Modules, options.Firmware, options.ExtraFiles));
        return path;
    }

    private static string WriteDtb(GuestRunOptions options, string qemu, string monitor, string work, PhysRange initrd, GuestWorld world)
    {
        var bootargs = options.Bootargs is { Length: > 0 } extra ? DefaultBootargs + " " + extra : DefaultBootargs;
        DtTree tree;
        if (options.Dtb is { } given)
        {
            tree = DtTree.Load(given);
            var chosen = tree.Root.GetOrAddChild("chosen");
            chosen.SetString("bootargs", bootargs);
            chosen.SetProperty("linux,initrd-start", DtValues.U64(initrd.Base.Value));
            chosen.SetProperty("linux,initrd-end", DtValues.U64(initrd.Base.Value + initrd.Size));
        }
        else
        {
            var dumped = Path.Combine(work, "virt.dtb");
            HostProcess.Check("qemu-system-aarch64 dumpdtb", qemu, QemuMachine.DumpDtbArguments(monitor, dumped));
            tree = GuestDeviceTree.Build(File.ReadAllBytes(dumped), bootargs, initrd, world, options.Extensions);
        }

        var blob = tree.ToBlob();
        if ((ulong)blob.Length > GuestMemoryMap.MaxDtbBytes) throw new InvalidDataException($"the guest DTB is {blob.Length} bytes; at most 0x{GuestMemoryMap.MaxDtbBytes:x} fit below the initrd");
        var path = Path.Combine(work, "guest.dtb");
        File.WriteAllBytes(path, blob);
        if (options.SaveDtb is { } save) File.WriteAllBytes(save, blob);
        return path;
    }

    private static Process StartQemu(string qemu, IReadOnlyList<string> arguments, ConsoleWatcher watcher, List<string> errors)
    {
        var info = new ProcessStartInfo(qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) watcher.Line(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.Add(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static GuestOutcome Wait(Process process, ConsoleWatcher watcher, SmcBridge bridge, string ramPath, TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = Stopwatch.StartNew();
        var ramUnlinked = false;
        while (!process.WaitForExit(50))
        {
            if (!ramUnlinked && bridge.Calls > 0)
            {
                // QEMU has the file mapped (the monitor's self-test reached us): the name is no longer needed.
                File.Delete(ramPath);
                ramUnlinked = true;
            }

            if (cancel.IsCancellationRequested) return GuestOutcome.Interrupted;
            if (deadline.Elapsed > timeout) return GuestOutcome.TimedOut;
            if (watcher.Panicked && watcher.ExitStatus is null && !process.WaitForExit(2000)) return GuestOutcome.Panicked;
        }

        process.WaitForExit(); // drains the output callbacks
        return GuestOutcome.Exited;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }
}

using Qtz.Firmware.Elf.Core;
using Qtz.Kernel;
using Qtz.Platform.Boards;
using Qtz.Shell.Reports;
using Qtz.Platform.Tracing;
using Qtz.Soc;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;
using KernelState = Qtz.Kernel.Remoteproc.RprocState;

namespace Qtz.Shell;

/// <summary>
/// The thin adapter from the shell's verbs to a booted <see cref="Board"/>: Linux's remoteproc calls for
/// start/stop/recovery, the DSP core's fault injection for crash, the bus as the chosen master for
/// mem read, and the board's trace converted to neutral records.
/// </summary>
public sealed class BoardShellTarget(Board board) : IShellTarget
{
    private readonly List<string> _console = [];
    private int _traceCursor;
    private bool _scmTrace;

    public Board Board => board;

    public VirtualTime Now => board.Clock.Now;

    /// <summary>The remoteprocs, then the other PAS users (video, gpu-zap, ipa, wcnss): the rproc verbs reach both.</summary>
    public IReadOnlyList<RemoteprocStatus> Remoteprocs => [.. board.Remoteprocs.Select(Status), .. board.PasUsers.Select(UserStatus)];

    private RemoteprocStatus UserStatus(BoardPasUser u)
    {
        var driver = board.PasUserDriver(u.Name);
        var rproc = (driver as Kernel.Peripherals.WcnssRemoteproc)?.Rproc;
        var state = rproc is not null ? (RprocState)(int)rproc.State : driver?.State switch
        {
            "running" => RprocState.Running,
            "suspended" => RprocState.Suspended,
            _ => RprocState.Offline,
        };
        return new RemoteprocStatus(u.Name, state, rproc?.RecoveryEnabled ?? false, rproc?.CrashCount ?? 0)
        {
            PasId = (int)u.PasId,
            Firmware = driver?.Firmware ?? u.FirmwareName,
            LastCrashReason = rproc?.LastCrash?.ToString() ?? (driver is null ? board.PasUserProbeErrors.GetValueOrDefault(u.Name) : driver.Reason is { } why ? $"{driver.State}: {why}" : null),
            Coredump = rproc?.CoredumpMode == Kernel.Remoteproc.RprocCoredumpMode.Enabled,
            PendingCoredump = rproc?.PendingCoredump?.Time.ToString(),
        };
    }

    /// <summary>Start/stop of a PAS user that is not a remoteproc: its driver's boot or release.</summary>
    private bool TryUser(string name, bool start)
    {
        if (board.PasUsers.All(u => u.Name != name) || board.PasUserDriver(name) is Kernel.Peripherals.WcnssRemoteproc) return false;
        var driver = board.PasUserDriver(name) ?? throw new ShellOperationException($"{name} was not probed: {board.PasUserProbeErrors.GetValueOrDefault(name, "no driver")}");
        var e = start ? driver.Start() : driver.Stop();
        if (e != Errno.None && (start ? driver.State is not ("off" or "skipped") : true))
            throw new ShellOperationException($"rproc {(start ? "start" : "stop")} {name} failed: {e} ({driver.LastError ?? "no reason recorded"})");
        return true;
    }

    private RemoteprocStatus Status(BoardRemoteproc r)
    {
        var rproc = board.Driver(r.Name)?.Rproc;
        return new RemoteprocStatus(r.Name, rproc is null ? RprocState.Offline : (RprocState)(int)rproc.State, rproc?.RecoveryEnabled ?? false, rproc?.CrashCount ?? 0)
        {
            PasId = (int)r.PasId,
            Firmware = rproc?.Firmware ?? r.FirmwareName,
            LastCrashReason = rproc?.LastCrash?.ToString() ?? r.Core.LastCrashReason,
            Coredump = rproc?.CoredumpMode == Kernel.Remoteproc.RprocCoredumpMode.Enabled,
            PendingCoredump = rproc?.PendingCoredump?.Time.ToString(),
        };
    }

    private Kernel.Remoteproc.Rproc Rproc(string name) =>
        board.Driver(name)?.Rproc ?? (board.PasUserDriver(name) as Kernel.Peripherals.WcnssRemoteproc)?.Rproc ?? throw new ShellOperationException($"{name} was not probed: {board.ProbeErrors.GetValueOrDefault(name, "no driver")}");

    public void Start(string remoteproc)
    {
        if (TryUser(remoteproc, start: true)) return;
        var rproc = Rproc(remoteproc);
        if (rproc.State is KernelState.Running or KernelState.Attached)
            throw new ShellOperationException($"{remoteproc} is already running (rproc_boot would only take another reference)");
        var e = rproc.Boot();
        if (e != Errno.None)
            throw new ShellOperationException($"rproc start {remoteproc} failed: {e} ({rproc.LastError ?? "no reason recorded"})");
    }

    public void Stop(string remoteproc)
    {
        if (TryUser(remoteproc, start: false)) return;
        var rproc = Rproc(remoteproc);
        if (rproc.State is not (KernelState.Running or KernelState.Attached))
            throw new ShellOperationException($"{remoteproc} is {rproc.StateName}: nothing to stop (-EINVAL)");
        var e = rproc.Shutdown();
        if (e != Errno.None)
            throw new ShellOperationException($"rproc stop {remoteproc} failed: {e} ({rproc.LastError ?? "no reason recorded"})");
    }

    public void Crash(string remoteproc, CrashKind kind)
    {
        var core = board.Remoteprocs.FirstOrDefault(x => x.Name == remoteproc)?.Core ?? board.PasUsers.FirstOrDefault(x => x.Name == remoteproc)?.Core
            ?? throw new ShellOperationException($"{remoteproc} has no core of its own to crash (only DSPs and WCNSS do)");
        if (Rproc(remoteproc).State is not (KernelState.Running or KernelState.Attached))
            throw new ShellOperationException($"{remoteproc} is {Rproc(remoteproc).StateName}: only a running DSP can crash");
        switch (kind)
        {
            case CrashKind.Watchdog: core.InjectWatchdog(); break;
            case CrashKind.Fatal: core.InjectFatal(); break;
            default: core.InjectHang(); break;
        }

        board.Clock.RunPending();
    }

    public void SetRecovery(string remoteproc, bool enabled) => Rproc(remoteproc).RecoveryEnabled = enabled;

    public void SetCoredump(string remoteproc, bool enabled) =>
        Rproc(remoteproc).CoredumpMode = enabled ? Kernel.Remoteproc.RprocCoredumpMode.Enabled : Kernel.Remoteproc.RprocCoredumpMode.Disabled;

    public RemoteprocCoreDump CoreDump(string remoteproc)
    {
        var rproc = Rproc(remoteproc);
        if (rproc.TakeCoredump() is { } taken)
        {
            var dumped = taken.Segments.Select(s => new CoreDumpSegment(s.DeviceAddress, s.Bytes)).ToList();
            return new RemoteprocCoreDump(CoreDumpFormat.QcomPas(dumped[0].DeviceAddress), dumped)
            {
                Origin = $"recovery dump at {taken.Time}" + (taken.Crash is { } crash ? $" ({crash})" : ""),
            };
        }

        if (rproc.DumpSegments.Count == 0)
            throw new ShellOperationException($"{remoteproc} has no dump segments (it has not loaded firmware since power-on)");
        var segments = new List<CoreDumpSegment>();
        foreach (var s in rproc.DumpSegments)
        {
            var data = new byte[checked((int)s.Length)];
            // While the DSP runs, TZ locks the carveout against HLOS, so Linux's own read fails; the dump
            // is then taken as the secure master (a JTAG-like view of the same identity-mapped bytes).
            if (!rproc.ReadDeviceMemory(s.DeviceAddress, data) && board.Bus.Read(BusMaster.SecureWorld, new PhysAddr(s.DeviceAddress), data) != BusStatus.Ok)
                throw new ShellOperationException($"{remoteproc}: dump segment at da 0x{s.DeviceAddress:x} is not readable");
            segments.Add(new CoreDumpSegment(s.DeviceAddress, data));
        }

        return new RemoteprocCoreDump(CoreDumpFormat.QcomPas(segments[0].DeviceAddress), segments);
    }

    public void Advance(TimeSpan duration) => board.Clock.Advance(duration);

    public IReadOnlyList<SmmuMappingInfo> SmmuMappings(string? remoteproc) =>
        [.. board.Remoteprocs.Where(r => remoteproc is null || r.Name == remoteproc).SelectMany(MappingsOf)];

    private IEnumerable<SmmuMappingInfo> MappingsOf(BoardRemoteproc r)
    {
        if (board.Qhee is { } qhee)
            return qhee.MappingsOf(r.PasId).Select(m => new SmmuMappingInfo(r.Name, r.Hardware.StreamId, m.Iova.Value, m.Physical.Value, m.Length, "rwx") { Owner = "qhee" });
        return board.Driver(r.Name)?.Rproc.Mappings.Select(m => new SmmuMappingInfo(r.Name, r.Hardware.StreamId, m.DeviceAddress.Value, m.PhysicalAddress.Value, m.Length, m.Protection.ToString()) { Owner = "linux" }) ?? [];
    }

    public MemoryReadResult ReadMemory(ulong address, int length, MemoryView view)
    {
        var data = new byte[length];
        if (view.Kind == MemoryViewKind.Dsp)
        {
            var r = board.Remoteprocs.FirstOrDefault(x => x.Name == view.Remoteproc)
                ?? throw new ShellOperationException($"--as dsp:{view.Remoteproc}: only a DSP remoteproc has an SMMU stream to read through");
            var result = board.Smmu.Port(r.Hardware.StreamId, r.Hardware.Vmid).Read(new Iova(address), data);
            return result.IsOk ? MemoryReadResult.Ok(data) : MemoryReadResult.Faulted($"{view} via SMMU: {result}");
        }

        var master = view.Kind == MemoryViewKind.Secure ? BusMaster.SecureWorld : board.KernelCpu;
        var status = board.Bus.Read(master, new PhysAddr(address), data);
        return status == BusStatus.Ok ? MemoryReadResult.Ok(data) : MemoryReadResult.Faulted($"{master} read {status}");
    }

    public IReadOnlyList<MemoryRegion> MemoryMap() => BoardReportBuilder.Regions(board);

    public void SetScmTrace(bool enabled)
    {
        _scmTrace = enabled;
        _traceCursor = board.Trace.Events.Count;
    }

    public IReadOnlyList<string> TakeConsoleLines()
    {
        var events = board.Trace.Events;
        if (_scmTrace)
            _console.AddRange(events.Skip(_traceCursor).Where(e => e.Kind is BoardTraceKind.Smc or BoardTraceKind.Tee).Select(e => e.ToString()));
        _traceCursor = events.Count;
        var lines = _console.ToArray();
        _console.Clear();
        return lines;
    }

    public IReadOnlyList<FuseSetting> Fuses() =>
    [
        new("enforce", board.Fuses.Enforce ? "on" : "off", "secure boot enforced (off: failures are logged, not refused)"),
        new("rollback", board.Fuses.RollbackFloor.ToString(System.Globalization.CultureInfo.InvariantCulture), "anti-rollback floor"),
        new("roots", board.Fuses.TrustedRootHashes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "trusted root-certificate hashes"),
    ];

    public void SetFuse(string name, string value) =>
        throw new ArgumentException($"fuse '{name}' cannot be changed on a running board: fuses are blown before power-on (use qtz boot's --trust-root / board options)");

    public IReadOnlyList<TraceRecord> TraceRecords => BoardReportBuilder.Records(board);

    public BoardReport CreateReport() => BoardReportBuilder.Build(board, Remoteprocs);
}

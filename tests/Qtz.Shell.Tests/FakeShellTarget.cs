using Qtz.Shell.Tests.Reports;
using Qtz.Firmware.Elf.Core;
using Qtz.Shell.Reports;
using Qtz.Shell;
using Qtz.Platform.Tracing;
using Qtz.Soc;
using Qtz.Soc.Time;

namespace Qtz.Shell.Tests;

/// <summary>
/// A board stand-in with remoteproc's state rules: start from offline, stop from running/crashed, a
/// crash with recovery on comes back to running after the stop/reload path (here: at once), with
/// recovery off it stays crashed; a hang is only noticed after the 5 s timeout of virtual time.
/// </summary>
internal sealed class FakeShellTarget : IShellTarget
{
    private readonly Dictionary<string, RemoteprocStatus> _procs = new(StringComparer.Ordinal);
    private readonly List<string> _console = [];
    private readonly TraceLog _trace = new();
    private readonly Dictionary<string, string> _fuses = new() { ["enforce"] = "on", ["rollback"] = "0" };
    private readonly Dictionary<string, VirtualTime> _hangDeadline = [];
    private bool _scmTrace;

    public FakeShellTarget(params string[] names)
    {
        foreach (var name in names.Length == 0 ? ["adsp", "cdsp0", "gpdsp0"] : names)
            _procs[name] = new RemoteprocStatus(name, RprocState.Running, true, 0) { Firmware = $"qcom/sa8775p/{name}.mbn", PasId = 1 };
    }

    public List<string> Calls { get; } = [];

    public VirtualTime Now { get; private set; }

    public IReadOnlyList<RemoteprocStatus> Remoteprocs => [.. _procs.Values];

    public void Start(string remoteproc)
    {
        Calls.Add("start " + remoteproc);
        if (_procs[remoteproc].State != RprocState.Offline)
            throw new ShellOperationException($"{remoteproc} is {_procs[remoteproc].State.ToString().ToLowerInvariant()}: rproc_boot refuses (-EBUSY)");
        Set(remoteproc, RprocState.Running);
    }

    public void Stop(string remoteproc)
    {
        Calls.Add("stop " + remoteproc);
        if (_procs[remoteproc].State is not (RprocState.Running or RprocState.Crashed))
            throw new ShellOperationException($"{remoteproc} is not running (-EINVAL)");
        Set(remoteproc, RprocState.Offline);
    }

    public void Crash(string remoteproc, CrashKind kind)
    {
        Calls.Add($"crash {remoteproc} {kind}");
        if (kind == CrashKind.Hang)
        {
            _hangDeadline[remoteproc] = Now + TimeSpan.FromSeconds(5);
            return;
        }

        Crashed(remoteproc, kind.ToString().ToLowerInvariant());
    }

    private void Crashed(string name, string reason)
    {
        var p = _procs[name];
        _procs[name] = p with { Crashes = p.Crashes + 1, LastCrashReason = reason };
        Set(name, RprocState.Crashed);
        if (p.Recovery)
            Set(name, RprocState.Running);
    }

    public void SetRecovery(string remoteproc, bool enabled) => _procs[remoteproc] = _procs[remoteproc] with { Recovery = enabled };

    public void SetCoredump(string remoteproc, bool enabled) => _procs[remoteproc] = _procs[remoteproc] with { Coredump = enabled };

    public RemoteprocCoreDump CoreDump(string remoteproc) =>
        new(CoreDumpFormat.QcomPas(0x9580_0000), [new CoreDumpSegment(0x9580_0000, new byte[0x100]), new CoreDumpSegment(0x9590_0000, new byte[0x40])]);

    public void Advance(TimeSpan duration)
    {
        Now += duration;
        foreach (var (name, deadline) in _hangDeadline.ToArray())
        {
            if (Now >= deadline)
            {
                _hangDeadline.Remove(name);
                Crashed(name, "stop timeout");
            }
        }
    }

    public IReadOnlyList<SmmuMappingInfo> SmmuMappings(string? remoteproc) =>
        [.. new[] { new SmmuMappingInfo("adsp", 0x3000, 0x9580_0000, 0x9580_0000, 0x1E0_0000, "rwx") }.Where(m => remoteproc is null || m.Remoteproc == remoteproc)];

    public MemoryReadResult ReadMemory(ulong address, int length, MemoryView view) =>
        view.Kind == MemoryViewKind.Linux && address >= 0x9580_0000
            ? MemoryReadResult.Faulted("HLOS may not read the locked carveout")
            : MemoryReadResult.Ok(Enumerable.Range(0, length).Select(i => (byte)(0x41 + (i % 26))).ToArray());

    public IReadOnlyList<MemoryRegion> MemoryMap() => ReportsFixture.Regions;

    public void SetScmTrace(bool enabled) => _scmTrace = enabled;

    public IReadOnlyList<string> TakeConsoleLines()
    {
        if (_scmTrace) _console.Add("scm: fake call");
        var lines = _console.ToArray();
        _console.Clear();
        return lines;
    }

    public IReadOnlyList<FuseSetting> Fuses() => [.. _fuses.Select(f => new FuseSetting(f.Key, f.Value, "fake"))];

    public void SetFuse(string name, string value)
    {
        if (!_fuses.ContainsKey(name))
            throw new ArgumentException($"unknown fuse '{name}' (fuses: {string.Join(", ", _fuses.Keys)})");
        _fuses[name] = value;
    }

    public IReadOnlyList<TraceRecord> TraceRecords => _trace.Records;

    public BoardReport CreateReport() => new("fake board", MemoryMap(), SmmuMappings(null), TraceRecords, Remoteprocs) { TakenAt = Now };

    private void Set(string name, RprocState state)
    {
        var from = _procs[name].State;
        _procs[name] = _procs[name] with { State = state };
        _trace.Instant(Now, "rproc:" + name, "state", new Dictionary<string, string> { ["from"] = from.ToString().ToLowerInvariant(), ["to"] = state.ToString().ToLowerInvariant() });
        _console.Add($"remoteproc {name}: {from.ToString().ToLowerInvariant()} -> {state.ToString().ToLowerInvariant()}");
    }
}

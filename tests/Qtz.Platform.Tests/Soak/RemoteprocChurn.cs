using Qtz.Kernel;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Boards;
using Qtz.Soc;
using Qtz.Soc.Addressing;

namespace Qtz.Platform.Tests.Soak;

/// <summary>What one churn cycle does to a remote processor.</summary>
public enum ChurnKind
{
    /// <summary>The firmware's watchdog bites; recovery stops and reloads it.</summary>
    Watchdog,

    /// <summary>The firmware raises a fatal error; recovery stops and reloads it.</summary>
    Fatal,

    /// <summary>The firmware hangs: nothing notices until Linux stops it (the stop-ack times out) and starts it again.</summary>
    Hang,

    /// <summary>A stray DSP access faults in Linux's own context bank (KVM host only): an mmufault crash, recovered.</summary>
    MmuFault,

    /// <summary>A clean stop and start (not a crash).</summary>
    StopStart,
}

/// <summary>
/// Crashes, recovers, stops and starts a booted board's remote processors one cycle at a time, through
/// the same doors a user has: fault injection into the DSP core, Linux's crash handling with recovery
/// on, rproc stop/start. Each cycle ends with the processor running and the board settled, or says why not.
/// </summary>
public sealed class RemoteprocChurn
{
    /// <summary>An IOVA no PAS DSP is given (the first page above zero), for the mmufault cycle.</summary>
    public static readonly Iova StrayIova = new(0x1000);

    private readonly Board _board;

    /// <summary>Turns recovery on for every probed remote processor.</summary>
    public RemoteprocChurn(Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        _board = board;
        foreach (var r in board.Remoteprocs)
        {
            if (board.Driver(r.Name) is { } driver) driver.Rproc.RecoveryEnabled = true;
        }
    }

    /// <summary>Every crash kind this board supports (mmufault only where Linux owns the DSP streams).</summary>
    public IReadOnlyList<ChurnKind> CrashKinds => _board.ArmSmmu is null
        ? [ChurnKind.Watchdog, ChurnKind.Fatal, ChurnKind.Hang]
        : [ChurnKind.Watchdog, ChurnKind.Fatal, ChurnKind.Hang, ChurnKind.MmuFault];

    /// <summary>Runs one cycle on <paramref name="r"/>, which must be running; null when it is running again, else what went wrong.</summary>
    public string? Cycle(BoardRemoteproc r, ChurnKind kind)
    {
        ArgumentNullException.ThrowIfNull(r);
        var rproc = _board.Driver(r.Name)?.Rproc;
        if (rproc is null) return $"{r.Name}: not probed";
        if (rproc.State != RprocState.Running) return $"{r.Name}: {rproc.StateName} before a {kind} cycle";
        var crashes = rproc.CrashCount;
        var boots = r.Core.BootCount;
        var failure = kind switch
        {
            ChurnKind.Watchdog => Crash(() => r.Core.InjectWatchdog()),
            ChurnKind.Fatal => Crash(() => r.Core.InjectFatal()),
            ChurnKind.MmuFault => MmuFault(r),
            ChurnKind.Hang => Hang(r, rproc),
            _ => StopStart(rproc),
        };
        _board.Clock.Advance(Board.SettleTime);
        if (failure is not null) return $"{r.Name} {kind}: {failure}";
        if (rproc.State != RprocState.Running) return $"{r.Name} {kind}: {rproc.StateName} afterwards ({rproc.LastError ?? "no error recorded"})";
        var expectCrash = kind is ChurnKind.Watchdog or ChurnKind.Fatal or ChurnKind.MmuFault;
        if (expectCrash && rproc.CrashCount != crashes + 1) return $"{r.Name} {kind}: {rproc.CrashCount - crashes} crash(es) handled, expected 1";
        if (r.Core.BootCount != boots + 1) return $"{r.Name} {kind}: the core was released {r.Core.BootCount - boots} time(s), expected 1";
        return null;
    }

    /// <summary>Starts every probed processor that is not running (the end of a churn).</summary>
    public void StartAll()
    {
        foreach (var r in _board.Remoteprocs)
        {
            if (_board.Driver(r.Name)?.Rproc is { State: not RprocState.Running } rproc) rproc.Boot();
        }

        _board.Clock.Advance(Board.SettleTime);
    }

    // The crash handler runs as zero-delay work on the clock; recovery completes inside it.
    private string? Crash(Action inject)
    {
        inject();
        _board.Clock.RunPending();
        return null;
    }

    private string? MmuFault(BoardRemoteproc r)
    {
        if (_board.ArmSmmu is null) return "mmufault needs Linux to own the SMMU (KVM mode)";
        var result = r.Core.InjectStrayAccess(StrayIova);
        if (result.IsOk) return $"the stray access at {StrayIova} did not fault";
        _board.Clock.RunPending();
        return null;
    }

    private static string? Hang(BoardRemoteproc r, Rproc rproc)
    {
        r.Core.InjectHang();
        var e = rproc.Shutdown();
        if (e != Errno.None) return $"stop of the hung processor failed: {e} ({rproc.LastError})";
        return Boot(rproc);
    }

    private static string? StopStart(Rproc rproc)
    {
        var e = rproc.Shutdown();
        return e != Errno.None ? $"stop failed: {e} ({rproc.LastError})" : Boot(rproc);
    }

    private static string? Boot(Rproc rproc)
    {
        var e = rproc.Boot();
        return e != Errno.None ? $"start failed: {e} ({rproc.LastError})" : null;
    }
}

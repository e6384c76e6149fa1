using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Remoteproc;

/// <summary>Crash reporting and recovery (rproc_report_crash, rproc_crash_handler_work, rproc_trigger_recovery).</summary>
public sealed partial class Rproc
{
    private RprocCrash? _deferredCrashWork;
    private bool _crashWorkQueued;

    /// <summary>
    /// rproc_report_crash: callable from interrupt context. Logs and records the crash now; the handler
    /// runs as work on the virtual clock (zero delay), and only once the current operation is over;
    /// reports made while that work is still queued are recorded but handled once (queue_work semantics).
    /// </summary>
    public void ReportCrash(RprocCrashType type, string reason)
    {
        var crash = new RprocCrash(Clock.Now, type, reason);
        _crashes.Add(crash);
        Emit(RprocEventKind.Crash, $"crash detected in {Name}: type {RprocNames.Of(type)}: {reason}", type);
        // queue_work on a pending work item is a no-op: reports before the handler runs coalesce.
        if (_crashWorkQueued) return;
        _crashWorkQueued = true;
        Clock.Schedule(TimeSpan.Zero, () => RunCrashWork(crash), Name + ":crash");
    }

    /// <summary>sysfs recovery "recover": recover a crashed processor once, even with recovery disabled.</summary>
    public Errno Recover() => TriggerRecovery();

    private void RunCrashWork(RprocCrash crash)
    {
        if (_busy)
        {
            _deferredCrashWork = crash;
            return;
        }

        _crashWorkQueued = false;
        HandleCrash(crash);
    }

    /// <summary>rproc_crash_handler_work: only the first crash of a running processor is handled.</summary>
    private void HandleCrash(RprocCrash crash)
    {
        if (State is RprocState.Crashed or RprocState.Offline or RprocState.Deleted)
        {
            Emit(RprocEventKind.Log, $"crash ({RprocNames.Of(crash.Type)}) ignored: remoteproc is {StateName}");
            return;
        }

        SetState(RprocState.Crashed);
        CrashCount++;
        Emit(RprocEventKind.Log, $"handling crash #{CrashCount} in {Name}");
        if (RecoveryEnabled) TriggerRecovery();
    }

    /// <summary>rproc_trigger_recovery → rproc_boot_recovery: stop(crashed), coredump, request firmware, start.</summary>
    private Errno TriggerRecovery()
    {
        if (State != RprocState.Crashed) return Errno.None;
        if (_busy) return Fail(Errno.EBUSY, "can't recover: another operation is in progress");
        _busy = true;
        try
        {
            Emit(RprocEventKind.Log, $"recovering {Name}");
            var ret = StopProcessor(crashed: true);
            if (ret != Errno.None) return ret;
            TakeRecoveryCoredump(LastCrash);
            CoredumpHook?.Invoke(this);
            using var fw = TryRequestFirmware(out var error);
            if (fw is null) return error;
            try
            {
                StartProcessor(fw);
                LastError = null;
                return Errno.None;
            }
            catch (RprocException e)
            {
                return Fail(e.Errno, "recovery failed: " + e.Message);
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Ends an operation (mutex_unlock) and runs crash work that arrived meanwhile.</summary>
    private void Release()
    {
        _busy = false;
        if (_deferredCrashWork is not { } crash) return;
        _deferredCrashWork = null;
        _crashWorkQueued = false;
        HandleCrash(crash);
    }

    /// <summary>rproc_iommu_fault: log, report "mmufault", and return -ENOSYS so the SMMU driver logs too.</summary>
    private Errno OnIommuFault(IommuDomain domain, Iova iova, IommuFaultFlags flags)
    {
        Emit(RprocEventKind.Log, $"iommu fault: da 0x{iova.Value:x} flags 0x{(int)flags:x}");
        ReportCrash(RprocCrashType.MmuFault, $"mmufault at iova 0x{iova.Value:x} ({flags.ToString().ToLowerInvariant()}) in context bank {domain.ContextBank}");
        return Errno.ENOSYS;
    }
}

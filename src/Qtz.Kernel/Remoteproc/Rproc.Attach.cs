namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// ops->attach, for drivers whose processor a bootloader may already have started (rproc state DETACHED at
/// rproc_add). The driver throws <see cref="RprocException"/> when it cannot attach; if it also set the state
/// back to OFFLINE (<see cref="Rproc.MarkOffline"/>), the core goes on with a normal firmware load and start.
/// </summary>
public interface IRprocAttachOps
{
    void Attach(Rproc rproc);
}

/// <summary>Late attach (rproc_attach): a processor found running is adopted without loading anything.</summary>
public sealed partial class Rproc
{
    /// <summary>The driver's probe, for a processor the bootloader may have started: DETACHED before rproc_add.</summary>
    public void MarkDetached()
    {
        if (State == RprocState.Offline) SetState(RprocState.Detached);
    }

    /// <summary>The driver's attach found nothing to adopt: OFFLINE, so the core loads and starts the firmware itself.</summary>
    public void MarkOffline() => SetState(RprocState.Offline);

    /// <summary>
    /// rproc_attach for a DETACHED processor: IOMMU domain, then ops->attach; success is ATTACHED (no firmware
    /// request, no load, no start). Null when the driver set OFFLINE: the caller falls back to rproc_fw_boot.
    /// </summary>
    private Errno? TryAttach()
    {
        if (_ops is not IRprocAttachOps attach)
        {
            SetState(RprocState.Offline);
            return null;
        }

        Emit(RprocEventKind.Log, $"attaching to {Name}");
        var ret = EnableIommu();
        if (ret != Errno.None) return ret;
        try
        {
            attach.Attach(this);
        }
        catch (RprocException e)
        {
            DisableIommu();
            if (State == RprocState.Offline)
            {
                Emit(RprocEventKind.Log, $"attach to {Name} not possible ({e.Message}): loading the firmware instead");
                return null;
            }

            return Fail(e.Errno, "can't attach: " + e.Message);
        }

        RunningSince = Clock.Now;
        SetState(RprocState.Attached);
        Emit(RprocEventKind.Log, $"remote processor {Name} is now attached");
        return Errno.None;
    }
}

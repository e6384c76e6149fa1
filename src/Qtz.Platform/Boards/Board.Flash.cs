using Qtz.Platform.Storage;
using Qtz.Kernel.ScmClient;

namespace Qtz.Platform.Boards;

/// <summary>The board's optional SPI-NOR behind TrustZone (svc 0x1A), as real QCS6490 boards (Radxa Dragon Q6A) have.</summary>
public sealed partial class Board
{
    /// <summary>
    /// The flash, TZ's storage service and the kernel's MTD side; null when <see cref="BoardOptions.Flash"/>
    /// is. Under KVM Linux calls from EL2, which TZ refuses unless <see cref="TzStorageOptions.TzAllowsEl2"/>:
    /// the driver then fails its probe (<see cref="TzStorage.ProbeResult"/>), as on the real board.
    /// </summary>
    public TzStorage? Flash { get; }

    /// <summary>Closes the flash storage (an image file is flushed and unmapped); nothing else holds host resources.</summary>
    /// <summary>Removes the PAS drivers (exclusive region assignments go back to HLOS) and closes the flash.</summary>
    public void Dispose()
    {
        RemoveDrivers();
        Flash?.Dispose();
    }

    private void ProbeFlash()
    {
        if (Flash is null) return;
        var ret = Flash.Probe(Scm);
        var what = ret == 0 ? $"mtd{Flash.Driver!.Mtd.Index} \"{Flash.Driver.Mtd.Name}\" probed ({Flash.Chip.Geometry.PartName})" : $"probe failed: {Kernel.Mtd.MtdErrno.Describe(ret)}";
        Trace.Add(Clock.Now, BoardTraceKind.Note, "qcom_scm_storage", what);
    }
}

using Qtz.Soc;
using Qtz.DeviceTree.Properties;
using Qtz.Soc.Addressing;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Remoteproc;

/// <summary>What kind of thing a remoteproc (core or driver) reports, for traces and timelines.</summary>
public enum RprocEventKind
{
    /// <summary>A state transition; <see cref="RprocEvent.State"/> is the new state.</summary>
    State,

    /// <summary>One step of boot/start/stop (SCM call, mapping, wait) in the order it happened.</summary>
    Step,

    /// <summary>rproc_report_crash: <see cref="RprocEvent.CrashType"/> says which.</summary>
    Crash,

    /// <summary>A failure that aborted boot, start or stop; <see cref="RprocEvent.Message"/> is the cause.</summary>
    Error,

    /// <summary>Something Linux would log at info/debug level.</summary>
    Log,
}

/// <summary>One event of a remoteproc's life at a virtual instant.</summary>
public readonly record struct RprocEvent(VirtualTime Time, string Rproc, RprocEventKind Kind, string Message, RprocState State, RprocCrashType? CrashType = null)
{
    public override string ToString() => $"{Time} {Rproc}: {Message}";
}

/// <summary>A crash as reported: type, the firmware's reason when it left one, and when.</summary>
public readonly record struct RprocCrash(VirtualTime Time, RprocCrashType Type, string Reason)
{
    public override string ToString() => $"{RprocNames.Of(Type)}: {Reason}";
}

/// <summary>An IOMMU mapping the remoteproc (core or driver) holds on its domain, for tables and leak checks.</summary>
public readonly record struct RprocMapping(Iova DeviceAddress, PhysAddr PhysicalAddress, ulong Length, Iommu.IommuProt Protection, string Source);

/// <summary>One region a coredump would copy (qcom_register_dump_segments: p_paddr, p_memsz of each loadable segment).</summary>
public readonly record struct RprocDumpSegment(ulong DeviceAddress, ulong Length);

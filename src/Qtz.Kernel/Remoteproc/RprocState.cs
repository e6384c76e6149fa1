namespace Qtz.Kernel.Remoteproc;

/// <summary>enum rproc_state (include/linux/remoteproc.h); <see cref="RprocNames"/> gives sysfs's strings.</summary>
public enum RprocState
{
    Offline = 0,
    Suspended = 1,
    Running = 2,
    Crashed = 3,
    Deleted = 4,
    Attached = 5,
    Detached = 6,
}

/// <summary>enum rproc_crash_type.</summary>
public enum RprocCrashType
{
    MmuFault = 0,
    Watchdog = 1,
    FatalError = 2,
}

/// <summary>The strings Linux prints for states (sysfs "state") and crash types ("crash detected in X: type Y").</summary>
public static class RprocNames
{
    public static string Of(RprocState state) => state switch
    {
        RprocState.Offline => "offline",
        RprocState.Suspended => "suspended",
        RprocState.Running => "running",
        RprocState.Crashed => "crashed",
        RprocState.Deleted => "deleted",
        RprocState.Attached => "attached",
        RprocState.Detached => "detached",
        _ => "invalid",
    };

    public static string Of(RprocCrashType type) => type switch
    {
        RprocCrashType.MmuFault => "mmufault",
        RprocCrashType.Watchdog => "watchdog",
        RprocCrashType.FatalError => "fatal error",
        _ => "unknown",
    };
}

namespace Qtz.Shell.Reports;

/// <summary>One remote processor as <c>rproc list/status</c> shows it.</summary>
public sealed record RemoteprocStatus(string Name, RprocState State, bool Recovery, int Crashes)
{
    /// <summary>debugfs "coredump" is enabled.</summary>
    public bool Coredump { get; init; }

    /// <summary>When the unread devcoredump recovery took was taken, if one is pending.</summary>
    public string? PendingCoredump { get; init; }

    public string? Firmware { get; init; }

    public int? PasId { get; init; }

    /// <summary>The last crash reason (SMEM text, "watchdog bite", "ready timeout"), if it ever crashed.</summary>
    public string? LastCrashReason { get; init; }
}

/// <summary>Linux remoteproc states, spelled as sysfs prints them.</summary>
public enum RprocState
{
    Offline,
    Suspended,
    Running,
    Crashed,
    Deleted,
    Attached,
    Detached,
}

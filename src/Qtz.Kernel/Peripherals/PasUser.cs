namespace Qtz.Kernel.Peripherals;

/// <summary>What a PAS user is: a PAS remoteproc, or one of the other drivers that load images through PAS (spec/socs.md §5).</summary>
public enum PasUserKind
{
    Remoteproc,
    Video,
    GpuZap,
    Ipa,
    Wcnss,
}

/// <summary>The names the boot table and JSON print.</summary>
public static class PasUserKinds
{
    public static string Name(PasUserKind kind) => kind switch
    {
        PasUserKind.Remoteproc => "remoteproc",
        PasUserKind.Video => "video",
        PasUserKind.GpuZap => "gpu-zap",
        PasUserKind.Ipa => "ipa",
        PasUserKind.Wcnss => "wcnss",
        _ => "unknown",
    };
}

/// <summary>
/// A Linux driver other than qcom_q6v5_pas that authenticates an image through PAS. <see cref="Start"/> is what
/// the driver does when it boots the image (probe, GPU hw_init, rproc start), <see cref="Stop"/> what it does
/// when it lets go; both return Linux's errno and leave the cause in <see cref="Reason"/>.
/// </summary>
public interface IPasUser
{
    string Name { get; }

    uint PasId { get; }

    PasUserKind Kind { get; }

    /// <summary>"running", "offline", "off", "skipped", "suspended", "failed", or a remoteproc state.</summary>
    string State { get; }

    /// <summary>Why it is not running (or how it runs, for off/skipped); null when there is nothing to say.</summary>
    string? Reason { get; }

    /// <summary>Why the last start/stop was refused or failed; null after a success.</summary>
    string? LastError { get; }

    /// <summary>Whether the state is one Linux carries on with (running, or off/skipped by design).</summary>
    bool Ok { get; }

    /// <summary>The firmware file the driver asks for.</summary>
    string Firmware { get; }

    Errno Start();

    Errno Stop();

    /// <summary>Every step the driver took, in order (SCM calls with their results).</summary>
    event Action<string>? Traced;
}

/// <summary>A PAS user's probe refused the node: Linux's errno and what was wrong where.</summary>
public sealed class PasUserProbeException : Exception
{
    public PasUserProbeException()
    {
    }

    public PasUserProbeException(string message)
        : base(message)
    {
    }

    public PasUserProbeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PasUserProbeException(Errno errno, string message)
        : base(message) => Errno = errno;

    public Errno Errno { get; } = Errno.EINVAL;
}

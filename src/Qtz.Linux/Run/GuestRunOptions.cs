using Qtz.Platform.Storage;
using Qtz.Linux.Guest;
using Qtz.Secure.Hypervisor;

namespace Qtz.Linux.Run;

/// <summary>What <c>qtz linux run</c> boots and runs.</summary>
public sealed record GuestRunOptions
{
    public GuestMode Mode { get; init; } = GuestMode.Qhee;

    /// <summary>A kernel .deb or Image (raw or gzip); null: the one <c>qtz linux setup</c> fetched.</summary>
    public string? Kernel { get; init; }

    /// <summary>A folder whose *.ko (any depth) go to /lib/modules/qtz in the guest, replacing same-named ones.</summary>
    public string? Modules { get; init; }

    /// <summary>A folder copied to /lib/firmware in the guest.</summary>
    public string? Firmware { get; init; }

    /// <summary>A DTB used instead of the generated tree (qtz still sets /chosen's bootargs and initrd).</summary>
    public string? Dtb { get; init; }

    /// <summary>Where to save the DTB the guest booted with.</summary>
    public string? SaveDtb { get; init; }

    /// <summary>The shell script the guest's init runs; its exit status is the run's.</summary>
    public string Script { get; init; } = "true\n";

    public StorageFlash? Flash { get; init; }

    public TzStorageOptions FlashOptions { get; init; } = new();

    /// <summary>A file for the decoded SCM trace (one line per SMC).</summary>
    public string? TracePath { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Extra kernel command line.</summary>
    public string? Bootargs { get; init; }

    /// <summary>Where the guest's console lines go as they arrive (null: nowhere).</summary>
    public Action<string>? Console { get; init; }

    public IReadOnlyList<ILinuxGuestExtension> Extensions { get; init; } = [];

    /// <summary>Extra files for the run's archive (path in the guest, contents).</summary>
    public IReadOnlyList<(string Path, byte[] Contents)> ExtraFiles { get; init; } = [];

    public int Seed { get; init; }
}

/// <summary>How a run ended.</summary>
public enum GuestOutcome
{
    /// <summary>The script finished; <see cref="GuestRunResult.ScriptStatus"/> is its exit status.</summary>
    Exited,

    /// <summary>The kernel panicked.</summary>
    Panicked,

    TimedOut,

    /// <summary>Ctrl-C or SIGTERM.</summary>
    Interrupted,

    /// <summary>QEMU ended without the script's exit marker (it failed to start, or the guest stopped early).</summary>
    Stopped,
}

/// <summary>What a run produced.</summary>
public sealed record GuestRunResult(
    GuestOutcome Outcome,
    int? ScriptStatus,
    TimeSpan Wall,
    TimeSpan? BootToInit,
    IReadOnlyList<string> Console,
    long ForwardedSmcs,
    GuestTraceSummary Trace,
    string? QemuError)
{
    /// <summary>The last console lines, for an error message.</summary>
    public IEnumerable<string> LastLines(int count) => Console.Skip(Math.Max(0, Console.Count - count));

    public bool Succeeded => Outcome == GuestOutcome.Exited && ScriptStatus == 0;
}

/// <summary>The parts of the trace a caller checks (storage calls, count).</summary>
public sealed record GuestTraceSummary(long Calls, IReadOnlyList<StorageTraceCall> StorageCalls);

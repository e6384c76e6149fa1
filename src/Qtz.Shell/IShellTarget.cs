using Qtz.Firmware.Elf.Core;
using Qtz.Shell.Reports;
using Qtz.Platform.Tracing;
using Qtz.Soc;
using Qtz.Soc.Time;

namespace Qtz.Shell;

/// <summary>
/// Everything the shell's verbs need from a running board. The board implements this one interface;
/// the shell never sees Soc, Kernel or Secure objects. Operations a board refuses (start of a running
/// processor, authentication failure) throw <see cref="ShellOperationException"/> with the reason;
/// unknown names never reach the target (the shell checks them against <see cref="Remoteprocs"/>).
/// </summary>
public interface IShellTarget
{
    /// <summary>Virtual time since power-on.</summary>
    VirtualTime Now { get; }

    /// <summary>Every remote processor with its current state, in a stable order.</summary>
    IReadOnlyList<RemoteprocStatus> Remoteprocs { get; }

    /// <summary>rproc_boot: like <c>echo start &gt; /sys/class/remoteproc/remoteprocN/state</c>.</summary>
    void Start(string remoteproc);

    /// <summary>rproc_shutdown: like <c>echo stop &gt; …/state</c>.</summary>
    void Stop(string remoteproc);

    /// <summary>Injects a fault into the DSP (the board then runs Linux's crash handling in virtual time).</summary>
    void Crash(string remoteproc, CrashKind kind);

    /// <summary>Like <c>echo enabled|disabled &gt; /sys/kernel/debug/remoteproc/remoteprocN/recovery</c>.</summary>
    void SetRecovery(string remoteproc, bool enabled);

    /// <summary>
    /// The pending devcoredump recovery took (read and freed by this call), or else the segments
    /// remoteproc's default coredump would hold now; with the driver's ELF class and machine.
    /// </summary>
    RemoteprocCoreDump CoreDump(string remoteproc);

    /// <summary>debugfs "coredump": enabled, recovery takes a dump after the stop; disabled (the default), none.</summary>
    void SetCoredump(string remoteproc, bool enabled);

    /// <summary>Moves virtual time forward, firing everything due (boot latencies, timeouts, recovery).</summary>
    void Advance(TimeSpan duration);

    /// <summary>Live SMMU mappings, of one remoteproc's stream or (null) of every stream.</summary>
    IReadOnlyList<SmmuMappingInfo> SmmuMappings(string? remoteproc);

    /// <summary>Reads physical memory as a bus master; a denied or unmapped access is a fault, not an exception.</summary>
    MemoryReadResult ReadMemory(ulong address, int length, MemoryView view);

    /// <summary>RAM, reserved regions, carveouts, SHM bridges and protection regions as they stand now.</summary>
    IReadOnlyList<MemoryRegion> MemoryMap();

    /// <summary>Prints (through <see cref="TakeConsoleLines"/>) every SCM call as it happens while on.</summary>
    void SetScmTrace(bool enabled);

    /// <summary>Lines the board produced since the last call (SCM trace, kernel-log-like messages).</summary>
    IReadOnlyList<string> TakeConsoleLines();

    /// <summary>The secure-boot fuses (trusted root, rollback floor, enforcement).</summary>
    IReadOnlyList<FuseSetting> Fuses();

    /// <summary>Sets a fuse; an unknown name or bad value throws <see cref="ArgumentException"/> naming the choices.</summary>
    void SetFuse(string name, string value);

    /// <summary>Everything traced so far, for <c>--trace</c>.</summary>
    IReadOnlyList<TraceRecord> TraceRecords { get; }

    /// <summary>The report model of the board as it stands, for <c>--report</c>.</summary>
    BoardReport CreateReport();
}

/// <summary>Fault injections: a watchdog bite, an error-fatal from the DSP, or a DSP that stops answering.</summary>
public enum CrashKind
{
    Watchdog,
    Fatal,
    Hang,
}

/// <summary>What <see cref="IShellTarget.CoreDump"/> returns: the writer's format, the segments, and where they came from.</summary>
public sealed record RemoteprocCoreDump(CoreDumpFormat Format, IReadOnlyList<CoreDumpSegment> Segments)
{
    /// <summary>"recovery dump at 2.000000 s (watchdog: …)" or "segments as they are now".</summary>
    public string Origin { get; init; } = "segments as they are now";
}

/// <summary>A secure-boot fuse as <c>fuses show</c> prints it.</summary>
public sealed record FuseSetting(string Name, string Value, string Description);

/// <summary>The outcome of <c>mem read</c>: the bytes, or the fault the bus reported.</summary>
public sealed record MemoryReadResult(ReadOnlyMemory<byte> Data, string? Fault)
{
    public static MemoryReadResult Ok(ReadOnlyMemory<byte> data) => new(data, null);

    public static MemoryReadResult Faulted(string fault) => new(ReadOnlyMemory<byte>.Empty, fault);
}

/// <summary>Which bus master a <c>mem read</c> uses.</summary>
public enum MemoryViewKind
{
    Linux,
    Secure,
    Dsp,
}

/// <summary><c>--as linux|secure|dsp:NAME</c>.</summary>
public readonly record struct MemoryView(MemoryViewKind Kind, string? Remoteproc = null)
{
    public static MemoryView Linux => new(MemoryViewKind.Linux);

    public override string ToString() => Kind == MemoryViewKind.Dsp ? "dsp:" + Remoteproc : Kind.ToString().ToLowerInvariant();
}

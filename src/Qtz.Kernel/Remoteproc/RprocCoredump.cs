using Qtz.Soc;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// The remoteproc debugfs "coredump" setting. Mainline's default is <see cref="Disabled"/>: a recovery
/// takes a dump only once someone writes "enabled". "inline" (userspace reads device memory while
/// recovery waits for it) is not modelled: its bytes would be those of <see cref="Enabled"/>.
/// </summary>
public enum RprocCoredumpMode
{
    Disabled,
    Enabled,
}

/// <summary>One segment of a coredump: the registered segment's device address and the bytes copied from it.</summary>
public readonly record struct RprocDumpData(ulong DeviceAddress, ReadOnlyMemory<byte> Bytes);

/// <summary>
/// A coredump taken by recovery (rproc_coredump with "enabled"), held as a devcoredump entry until
/// userspace reads it or it expires. <see cref="Crash"/> is the crash being recovered from.
/// </summary>
public sealed record RprocCoredump(VirtualTime Time, RprocCrash? Crash, IReadOnlyList<RprocDumpData> Segments)
{
    public long Size => Segments.Sum(s => (long)s.Bytes.Length);
}

/// <summary>Recovery's coredump and its devcoredump life cycle (remoteproc_coredump.c, drivers/base/devcoredump.c).</summary>
public sealed partial class Rproc
{
    /// <summary>devcoredump frees an unread dump after DEVCD_TIMEOUT.</summary>
    public static readonly TimeSpan DevcoredumpTimeout = TimeSpan.FromMinutes(5);

    /// <summary>debugfs "coredump": whether recovery takes a dump after the stop (default disabled, as mainline).</summary>
    public RprocCoredumpMode CoredumpMode { get; set; } = RprocCoredumpMode.Disabled;

    /// <summary>The devcoredump entry waiting for userspace (/sys/class/devcoredump/devcdN/data); null when none.</summary>
    public RprocCoredump? PendingCoredump { get; private set; }

    /// <summary>Dumps recovery took (whether or not devcoredump kept them).</summary>
    public int CoredumpCount { get; private set; }

    /// <summary>Dumps devcoredump discarded because an unread one of this device was still pending.</summary>
    public int CoredumpsDiscarded { get; private set; }

    /// <summary>Reads the pending dump and frees it, as writing to devcdN/data does after reading; null when none.</summary>
    public RprocCoredump? TakeCoredump()
    {
        var dump = PendingCoredump;
        PendingCoredump = null;
        _coredumpExpiry?.Cancel();
        _coredumpExpiry = null;
        return dump;
    }

    private ScheduledEvent? _coredumpExpiry;

    /// <summary>
    /// rproc_coredump: one copy of every registered segment through da_to_va, 0xFF where the driver
    /// cannot translate or read it; nothing when disabled or no segment is registered. devcoredump keeps
    /// one unread dump per device: a newer one is discarded until that one is read or expires.
    /// </summary>
    private void TakeRecoveryCoredump(RprocCrash? crash)
    {
        if (CoredumpMode == RprocCoredumpMode.Disabled || DumpSegments.Count == 0) return;
        var segments = new List<RprocDumpData>(DumpSegments.Count);
        foreach (var s in DumpSegments)
        {
            var bytes = new byte[checked((int)s.Length)];
            if (!ReadDeviceMemory(s.DeviceAddress, bytes)) bytes.AsSpan().Fill(0xFF);
            segments.Add(new RprocDumpData(s.DeviceAddress, bytes));
        }

        var dump = new RprocCoredump(Clock.Now, crash, segments);
        CoredumpCount++;
        if (PendingCoredump is not null)
        {
            CoredumpsDiscarded++;
            Emit(RprocEventKind.Log, $"coredump of {Name} discarded: an unread devcoredump from {PendingCoredump.Time} is still pending");
            return;
        }

        PendingCoredump = dump;
        Emit(RprocEventKind.Log, $"coredump of {Name}: {segments.Count} segments, {dump.Size} bytes, held for {DevcoredumpTimeout.TotalMinutes:0} min");
        _coredumpExpiry = Clock.Schedule(DevcoredumpTimeout, () =>
        {
            if (!ReferenceEquals(PendingCoredump, dump)) return;
            PendingCoredump = null;
            _coredumpExpiry = null;
            Emit(RprocEventKind.Log, $"devcoredump of {Name} from {dump.Time} expired unread");
        }, Name + ":devcoredump-timeout");
    }
}

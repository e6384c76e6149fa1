using Qtz.Soc;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Secure.ShmBridges;

/// <summary>
/// One registered SHM bridge: a window of non-secure memory TZ agrees to use, with the permissions the
/// non-secure and secure sides were granted (QCOM_SCM_PERM_* decoded) and the raw flag words.
/// </summary>
public sealed record ShmBridge(ulong Handle, PhysRange Range, AccessPermissions NonSecure, AccessPermissions Secure, uint SizeFlags, ulong NsVmids);

/// <summary>
/// TZ's SHM bridge registry. Bridges never overlap (create refuses); once <see cref="Enabled"/>, a
/// non-secure buffer is usable only if one live bridge contains all of it.
/// </summary>
public sealed class ShmBridgeTable
{
    private readonly Lock _gate = new();
    private ShmBridge[] _bridges = [];
    private ulong _nextHandle = 1;
    private volatile bool _enabled;

    /// <summary>Whether SHM_BRIDGE_ENABLE has run: from then on buffers must lie in bridges.</summary>
    public bool Enabled => _enabled;

    /// <summary>Live bridges in address order.</summary>
    public IReadOnlyList<ShmBridge> Live => Volatile.Read(ref _bridges);

    internal void Enable() => _enabled = true;

    /// <summary>
    /// Registers a bridge over <paramref name="range"/>; refuses (<see cref="ScmStatus.InvalidArgument"/>)
    /// when it overlaps a live bridge. Handles are never reused.
    /// </summary>
    public long Create(PhysRange range, AccessPermissions nonSecure, AccessPermissions secure, uint sizeFlags, ulong nsVmids, out ulong handle)
    {
        lock (_gate)
        {
            if (_bridges.Any(b => b.Range.Overlaps(range)))
            {
                handle = 0;
                return ScmStatus.InvalidArgument;
            }

            handle = _nextHandle++;
            var bridge = new ShmBridge(handle, range, nonSecure, secure, sizeFlags, nsVmids);
            Volatile.Write(ref _bridges, _bridges.Append(bridge).OrderBy(b => b.Range.Base).ToArray());
            return ScmStatus.Success;
        }
    }

    /// <summary>Removes the bridge with <paramref name="handle"/>; false when no live bridge has it.</summary>
    public bool Delete(ulong handle)
    {
        lock (_gate)
        {
            if (!_bridges.Any(b => b.Handle == handle)) return false;
            Volatile.Write(ref _bridges, _bridges.Where(b => b.Handle != handle).ToArray());
            return true;
        }
    }

    /// <summary>The live bridge containing all of <paramref name="range"/>, or null.</summary>
    public ShmBridge? FindContaining(PhysRange range) =>
        Array.Find(Volatile.Read(ref _bridges), b => b.Range.Contains(range));

    /// <summary>Whether any live bridge shares a byte with <paramref name="range"/> (PAS refuses already-bridged buffers at EL1).</summary>
    public bool AnyOverlaps(PhysRange range) => Array.Exists(Volatile.Read(ref _bridges), b => b.Range.Overlaps(range));

    /// <summary>Whether one live bridge contains <paramref name="range"/> and lets the non-secure side use it that way.</summary>
    public bool Covers(PhysRange range, ScmBufferAccess access)
    {
        var bridge = FindContaining(range);
        if (bridge is null) return false;
        var need = access == ScmBufferAccess.ReadWrite ? AccessPermissions.ReadWrite : AccessPermissions.Read;
        return (bridge.NonSecure & need) == need;
    }
}

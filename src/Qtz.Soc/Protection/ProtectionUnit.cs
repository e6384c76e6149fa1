using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Soc.Protection;

/// <summary>
/// The board's memory protection units seen as one: a set of regions, each naming which VMIDs may
/// read, write or execute it. Addresses no region covers are open to every master (ordinary DDR);
/// where regions overlap, every one of them must allow the access. Only the secure world and the
/// hypervisor may change the regions — a non-secure attempt is refused exactly as a write to the
/// XPU's secure registers would be. This is hardware: it enforces, it has no opinion about who should
/// own what.
/// </summary>
public sealed class ProtectionUnit
{
    private readonly Lock _gate = new();
    private ProtectionRegion[] _regions = [];

    /// <summary>Raised after the region set changes (for traces and reports).</summary>
    public event Action<ProtectionChange>? Changed;

    public IReadOnlyList<ProtectionRegion> Regions => Volatile.Read(ref _regions);

    /// <summary>Adds a region, replacing any region with the same name. Returns false (and changes nothing) for a non-secure requester.</summary>
    public bool Set(BusMaster requester, ProtectionRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (!requester.MayProgramProtection) return false;
        lock (_gate)
        {
            var next = _regions.Where(r => r.Name != region.Name).Append(region).OrderBy(r => r.Range.Base).ToArray();
            Volatile.Write(ref _regions, next);
        }

        Changed?.Invoke(new ProtectionChange(requester, region, Removed: false));
        return true;
    }

    /// <summary>Removes the region named <paramref name="name"/>; false when the requester may not, or no such region exists.</summary>
    public bool Remove(BusMaster requester, string name)
    {
        if (!requester.MayProgramProtection) return false;
        ProtectionRegion? removed;
        lock (_gate)
        {
            removed = _regions.FirstOrDefault(r => r.Name == name);
            if (removed is null) return false;
            Volatile.Write(ref _regions, _regions.Where(r => r.Name != name).ToArray());
        }

        Changed?.Invoke(new ProtectionChange(requester, removed, Removed: true));
        return true;
    }

    public ProtectionRegion? Find(string name) => Volatile.Read(ref _regions).FirstOrDefault(r => r.Name == name);

    /// <summary>The first region that denies this access, or null when it is allowed.</summary>
    public ProtectionRegion? FindDenying(BusMaster master, PhysAddr address, ulong length, AccessKind kind)
    {
        if (master.IsSecure) return null;
        var regions = Volatile.Read(ref _regions);
        if (regions.Length == 0 || length == 0) return null;
        var last = length - 1 > ulong.MaxValue - address.Value ? ulong.MaxValue : address.Value + (length - 1);
        foreach (var region in regions)
        {
            if (region.Range.Base.Value > last) break;
            if (region.Range.Last < address) continue;
            if (!region.For(master.Vmid).Allows(kind)) return region;
        }

        return null;
    }
}

/// <summary>A change to the protection regions: who made it and what it was.</summary>
public readonly record struct ProtectionChange(BusMaster Requester, ProtectionRegion Region, bool Removed);

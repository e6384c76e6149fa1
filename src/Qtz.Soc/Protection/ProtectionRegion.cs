using System.Collections.Frozen;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Soc.Protection;

/// <summary>
/// One protection-unit (XPU) resource group: a physical range and the permissions each VMID has on it.
/// VMIDs not listed have no access. The secure world is never restricted (TZ programs the XPUs).
/// </summary>
public sealed class ProtectionRegion
{
    public ProtectionRegion(string name, PhysRange range, IReadOnlyDictionary<Vmid, AccessPermissions> permissions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(permissions);
        Name = name;
        Range = range;
        Permissions = permissions.ToFrozenDictionary();
    }

    public string Name { get; }

    public PhysRange Range { get; }

    public FrozenDictionary<Vmid, AccessPermissions> Permissions { get; }

    public AccessPermissions For(Vmid vmid) => Permissions.GetValueOrDefault(vmid);

    /// <summary>A region that only the listed VMIDs may use, each with the same permissions.</summary>
    public static ProtectionRegion Exclusive(string name, PhysRange range, AccessPermissions permissions, params Vmid[] owners) =>
        new(name, range, owners.ToDictionary(v => v, _ => permissions));

    public override string ToString() =>
        $"{Name} {Range}: " + (Permissions.Count == 0 ? "secure only" : string.Join(", ", Permissions.Select(p => $"{p.Key} {p.Value.ToRwx()}")));
}

using Qtz.Secure;
using Qtz.Soc;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;

namespace Qtz.Fuzzing.Invariants;

/// <summary>
/// What a DSP may reach: its carveout (at any device address), its companion images' carveouts (its DTB
/// image, identity-mapped read-only), and each device-memory range at exactly its device address.
/// </summary>
public static class DspAllowedMemory
{
    /// <summary>Whether <paramref name="range"/> lies in the carveout, or in device-memory ranges end to end.</summary>
    public static bool Contains(PasPeripheral peripheral, PhysRange range)
    {
        ArgumentNullException.ThrowIfNull(peripheral);
        return peripheral.Carveout.Contains(range) || peripheral.CompanionCarveouts.Any(c => c.Contains(range)) || Covered(peripheral, range.Base.Value, range.Size, d => true);
    }

    /// <summary>
    /// Whether one SMMU mapping is allowed: its output inside the carveout, or every byte of it inside a
    /// device-memory range with that range's device-to-physical offset and no read/write permission the
    /// range does not grant (contiguous ranges may be mapped as one).
    /// </summary>
    public static bool Allows(PasPeripheral peripheral, SmmuMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(peripheral);
        if (peripheral.Carveout.Contains(mapping.PhysicalRange)) return true;
        if (peripheral.CompanionCarveouts.Any(c => c.Contains(mapping.PhysicalRange)) && mapping.Iova.Value == mapping.Physical.Value
            && (mapping.Permissions & AccessPermissions.Write) == 0) return true;
        var offset = mapping.Iova.Value - mapping.Physical.Value;
        return Covered(peripheral, mapping.Physical.Value, mapping.Length, d =>
            d.DeviceAddress.Value - d.Physical.Value == offset && (mapping.Permissions & ~d.Permissions & AccessPermissions.ReadWrite) == 0);
    }

    private static bool Covered(PasPeripheral peripheral, ulong start, ulong length, Func<PasDeviceMemory, bool> fits)
    {
        if (length == 0) return true;
        var last = start + (length - 1); // ranges and mappings never wrap past 2^64 - 1
        for (var at = start; ;)
        {
            var piece = peripheral.DeviceMemory.FirstOrDefault(d => d.Physical.Value <= at && at - d.Physical.Value < d.Length && fits(d));
            if (piece is null) return false;
            var pieceLast = piece.Physical.Value + (piece.Length - 1);
            if (pieceLast >= last) return true;
            at = pieceLast + 1;
        }
    }
}

using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Soc.SystemMmu;

/// <summary>One translated range of a stream: [Iova, +Length) → [Physical, +Length) with the permissions a walk grants.</summary>
public readonly record struct SmmuMapping(Iova Iova, PhysAddr Physical, ulong Length, AccessPermissions Permissions)
{
    public PhysRange PhysicalRange => new(Physical, Length);

    public override string ToString() => $"iova {Iova}+0x{Length:x} -> {Physical} {Permissions}";
}

/// <summary>What a stream's transactions meet right now: bypass (IOVA = PA), a fault, or a context bank's translations.</summary>
public enum SmmuStreamRouting
{
    Bypass,
    Fault,
    Translate,
}

/// <summary>A stream's routing and, when it translates, every range its context bank maps (contiguous leaves merged).</summary>
public sealed record SmmuStreamMappings(SmmuStreamRouting Routing, int ContextBank, IReadOnlyList<SmmuMapping> Mappings, string? Problem);

public sealed partial class Smmu
{
    /// <summary>
    /// Everything <paramref name="streamId"/> can reach, from the registers and the page tables in
    /// memory, the way the hardware would decide it: stream matching, the context bank's TTBR0/TCR, then
    /// every table page read through the bus as the walker. Latches no fault and fills no TLB entry;
    /// for invariant checks that must see the real tables rather than what a driver believes it mapped.
    /// </summary>
    public SmmuStreamMappings MappingsOf(ushort streamId, bool privileged = false)
    {
        WalkContext context;
        bool effectivePrivilege;
        int bank;
        lock (_gate)
        {
            var sid = (ushort)(streamId & StreamIdMask);
            var route = RouteOf(sid);
            if (route.Kind == RouteKind.Bypass) return new SmmuStreamMappings(SmmuStreamRouting.Bypass, -1, [], null);
            if (route.Kind == RouteKind.GlobalFault) return new SmmuStreamMappings(SmmuStreamRouting.Fault, -1, [], null);
            context = route.Bank!.WalkContext(_options.OutputAddressBits);
            effectivePrivilege = route.Privileged(privileged);
            bank = route.Bank.Index;
        }

        var mappings = StageOneWalker.Enumerate(_bus, context, effectivePrivilege, out var problem);
        return new SmmuStreamMappings(SmmuStreamRouting.Translate, bank, mappings, problem);
    }
}

using System.Buffers.Binary;
using Qtz.Soc;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.Smc;

namespace Qtz.Secure.HypAssign;

/// <summary>
/// MP 0x16, hyp-assign (spec/scm-pas.md §3.3): moves ownership of memory between VMIDs and programs the
/// protection unit accordingly. Arguments (arginfo 0x1117): a0 = mem_map_info list (RO), a1 = its size
/// (16 bytes per {le64 addr, le64 size}), a2 = source VMID list (RO, le32 each), a3 = its size, a4 =
/// destination list (RO, 24-byte {le32 vmid, le32 perm, le64 ctx, le32 ctx_size, le32 unused}), a5 = its
/// size. TZ's rules here (qtz decisions, firmware internals are UNCONFIRMED): every region must be page
/// aligned and non-empty and either untouched (owned by HLOS alone) or exactly a region assigned before;
/// the source list must name exactly its current owners; VMIDs are 1..63 and permissions RWX bits.
/// Bad sizes, lists or owners answer EINVAL_ARG; unreadable lists EINVAL_ADDR. Success: x0 = 0, x1 = 0.
/// </summary>
[ScmService(ScmCatalog.Mp)]
public sealed partial class HypAssignService(SecureWorld world)
{
    public const byte AssignCommand = ScmCatalog.MpAssign;

    private const int MapEntrySize = 16;
    private const int DestEntrySize = 24;
    private const int MaxListBytes = 4096;
    private const string RegionPrefix = "hyp-assign@";

    private readonly Lock _gate = new();
    private readonly Dictionary<PhysRange, ulong> _owners = [];

    /// <summary>Current owner bitmask (bit n = VMID n) of a region assigned before, else HLOS alone.</summary>
    public ulong OwnersOf(PhysRange range)
    {
        lock (_gate) return _owners.TryGetValue(range, out var owners) ? owners : 1UL << Vmid.Hlos.Value;
    }

    [ScmCommand(AssignCommand)]
    public ScmReply Assign(ScmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = ReadList(request, 0, MapEntrySize, out var maps);
        if (status != ScmStatus.Success) return ScmReply.Fail(status);
        status = ReadList(request, 2, sizeof(uint), out var sources);
        if (status != ScmStatus.Success) return ScmReply.Fail(status);
        status = ReadList(request, 4, DestEntrySize, out var dests);
        if (status != ScmStatus.Success) return ScmReply.Fail(status);

        if (!TryParseOwners(sources, out var sourceMask) || !TryParseDestinations(dests, out var permissions))
            return ScmReply.Fail(ScmStatus.InvalidArgument);
        var regions = new List<PhysRange>();
        for (var i = 0; i < maps.Length; i += MapEntrySize)
        {
            var address = BinaryPrimitives.ReadUInt64LittleEndian(maps.AsSpan(i));
            var size = BinaryPrimitives.ReadUInt64LittleEndian(maps.AsSpan(i + 8));
            if (address % SparseMemory.PageSize != 0 || size % SparseMemory.PageSize != 0 || !PhysRange.TryCreate(address, size, out var range))
                return ScmReply.Fail(ScmStatus.InvalidArgument);
            regions.Add(range);
        }

        lock (_gate)
        {
            foreach (var range in regions)
            {
                if (_owners.Keys.Any(r => r != range && r.Overlaps(range))) return ScmReply.Fail(ScmStatus.InvalidArgument);
                if (OwnersOf(range) != sourceMask) return ScmReply.Fail(ScmStatus.InvalidArgument);
            }

            var newOwners = permissions.Keys.Aggregate(0UL, (mask, v) => mask | (1UL << v.Value));
            foreach (var range in regions) Apply(range, permissions, newOwners);
        }

        return ScmReply.Ok();
    }

    private void Apply(PhysRange range, Dictionary<Vmid, AccessPermissions> permissions, ulong newOwners)
    {
        var name = RegionPrefix + range.Base.ToString();
        var backToHlos = newOwners == 1UL << Vmid.Hlos.Value && permissions[Vmid.Hlos] == AccessPermissions.All;
        if (backToHlos)
        {
            _owners.Remove(range);
            world.Bus.Protection.Remove(SecureWorld.Master, name);
            return;
        }

        _owners[range] = newOwners;
        world.Bus.Protection.Set(SecureWorld.Master, new ProtectionRegion(name, range, permissions));
    }

    /// <summary>Reads the list argument <paramref name="argIndex"/> points at, its size being the next argument.</summary>
    private static long ReadList(ScmRequest request, int argIndex, int entrySize, out byte[] bytes)
    {
        bytes = [];
        var length = request.Arg(argIndex + 1);
        if (length == 0 || length > MaxListBytes || length % (ulong)entrySize != 0) return ScmStatus.InvalidArgument;
        var buffer = new byte[length];
        var status = request.ReadArgBuffer(argIndex, buffer);
        if (status == ScmStatus.Success) bytes = buffer;
        return status;
    }

    private static bool TryParseOwners(byte[] list, out ulong mask)
    {
        mask = 0;
        for (var i = 0; i < list.Length; i += sizeof(uint))
        {
            var vmid = BinaryPrimitives.ReadUInt32LittleEndian(list.AsSpan(i));
            if (vmid is 0 or > 63) return false;
            mask |= 1UL << (int)vmid;
        }

        return true;
    }

    private static bool TryParseDestinations(byte[] list, out Dictionary<Vmid, AccessPermissions> permissions)
    {
        permissions = [];
        for (var i = 0; i < list.Length; i += DestEntrySize)
        {
            var vmid = BinaryPrimitives.ReadUInt32LittleEndian(list.AsSpan(i));
            var perm = BinaryPrimitives.ReadUInt32LittleEndian(list.AsSpan(i + 4));
            if (vmid is 0 or > 63 || perm > 7 || !permissions.TryAdd(new Vmid((byte)vmid), ScmPermissions.ToAccess(perm)))
                return false;
        }

        return true;
    }
}

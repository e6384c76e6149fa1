using System.Buffers.Binary;
using System.Numerics;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.ScmClient;

/// <summary>The qcom_scm wrappers for the calls every other driver builds on: availability, SHM bridges, hyp-assign.</summary>
public sealed partial class Scm
{
    /// <summary>SHMBRIDGE_RESULT_NOTSUPP.</summary>
    private const ulong ShmBridgeNotSupported = 4;

    /// <summary>qcom_scm_is_call_available: false on any error.</summary>
    public bool IsCallAvailable(byte service, byte command)
    {
        var desc = new ScmDesc(ScmCatalog.Info, ScmCatalog.IsCallAvailable, ArgInfo.Values(1), IsCallAvailableArgument(service, command));
        return Call(desc, out var res) == 0 && res.Result0 != 0;
    }

    /// <summary>qcom_scm_shm_bridge_enable: -EOPNOTSUPP when the call is absent or TZ answers 4; else result[0].</summary>
    public int ShmBridgeEnable()
    {
        if (!IsCallAvailable(ScmCatalog.Mp, ScmCatalog.MpShmBridgeEnable)) return -ScmErrno.EOPNOTSUPP;
        var ret = Call(new ScmDesc(ScmCatalog.Mp, ScmCatalog.MpShmBridgeEnable, ArgInfo.None), out var res);
        if (ret != 0) return ret;
        if (res.Result0 == ShmBridgeNotSupported) return -ScmErrno.EOPNOTSUPP;
        return (int)res.Result0;
    }

    /// <summary>qcom_scm_shm_bridge_create with already-packed arguments (spec/scm-pas.md §3.1): <c>ret ?: result[0]</c>, handle = result[1].</summary>
    public int ShmBridgeCreate(ulong pfnAndNsPermFlags, ulong ipfnAndSPermFlags, ulong sizeAndFlags, ulong nsVmids, out ulong handle)
    {
        var ret = Call(new ScmDesc(ScmCatalog.Mp, ScmCatalog.MpShmBridgeCreate, ArgInfo.Values(4), pfnAndNsPermFlags, ipfnAndSPermFlags, sizeAndFlags, nsVmids), out var res);
        handle = ret == 0 ? res.Result1 : 0;
        return ret != 0 ? ret : (int)res.Result0;
    }

    /// <summary>qcom_scm_shm_bridge_delete.</summary>
    public int ShmBridgeDelete(ulong handle) =>
        Call(new ScmDesc(ScmCatalog.Mp, ScmCatalog.MpShmBridgeDelete, ArgInfo.Values(1), handle), out _);

    /// <summary>
    /// qcom_scm_assign_mem (spec/scm-pas.md §3.3): gives [<paramref name="address"/>, +<paramref name="size"/>)
    /// to <paramref name="newOwners"/>. <paramref name="sourceVms"/> is the bitmask of current owners; on
    /// success it becomes the bitmask of the new ones. The three-part buffer comes from the SCM pool.
    /// </summary>
    public int AssignMem(PhysAddr address, ulong size, ref ulong sourceVms, IReadOnlyList<ScmVmPermission> newOwners)
    {
        ArgumentNullException.ThrowIfNull(newOwners);
        if (Pool is null) return -ScmErrno.EINVAL;
        var sourceSize = (ulong)BitOperations.PopCount(sourceVms) * 4;
        const ulong mapSize = 16;
        var destSize = (ulong)newOwners.Count * 24;
        var mapOffset = Align64(sourceSize);
        var destOffset = mapOffset + Align64(mapSize);
        using var buffer = Pool.Allocate(destOffset + Align64(destSize));
        if (buffer is null) return -ScmErrno.ENOMEM;
        buffer.Clear();

        var bytes = new byte[destOffset + destSize];
        var at = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if ((sourceVms & (1UL << bit)) == 0) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)bit);
            at += 4;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)mapOffset), address.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)mapOffset + 8), size);
        ulong nextVms = 0;
        for (var i = 0; i < newOwners.Count; i++)
        {
            var entry = bytes.AsSpan((int)destOffset + i * 24, 24);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, newOwners[i].Vmid.Value);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], newOwners[i].Permissions);
            nextVms |= 1UL << (newOwners[i].Vmid.Value & 63);
        }

        buffer.Write(0, bytes);
        var desc = new ScmDesc(ScmCatalog.Mp, ScmCatalog.MpAssign, ArgInfo.Of(ScmArgType.Ro, ScmArgType.Val, ScmArgType.Ro, ScmArgType.Val, ScmArgType.Ro, ScmArgType.Val, ScmArgType.Val),
            buffer.Address.Value + mapOffset, mapSize, buffer.Address.Value, sourceSize, buffer.Address.Value + destOffset, destSize, 0);
        var ret = Call(desc, out var res);
        if (ret == 0) ret = (int)res.Result0;
        if (ret != 0) return -ScmErrno.EINVAL; // "Assign memory protection call failed": Linux reports -EINVAL whatever TZ said
        sourceVms = nextVms;
        return 0;
    }

    private static ulong Align64(ulong value) => (value + 63) & ~63UL;
}

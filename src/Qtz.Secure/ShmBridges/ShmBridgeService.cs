using Qtz.Soc;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Smc;

namespace Qtz.Secure.ShmBridges;

/// <summary>What SHM_BRIDGE_ENABLE answers on this firmware.</summary>
public enum ShmBridgeSupport : byte
{
    /// <summary>Enable succeeds (result 0) and turns enforcement on.</summary>
    Supported,

    /// <summary>Enable answers result[0] = 4 (SHMBRIDGE_RESULT_NOTSUPP); bridges stay off.</summary>
    NotSupported,
}

/// <summary>
/// MP 0x1C/0x1D/0x1E: SHM bridge enable, delete, create (spec/scm-pas.md §3.1). Create decodes the
/// qcom_tzmem packing: a0 = address | NS permissions, a1 = IPA | secure permissions, a2 = size | flags
/// (low 12 bits), a3 = NS VMIDs. Refused with EINVAL_ADDR: an address that is not page aligned (bits
/// 3..11 set) or not non-secure RAM; with EINVAL_ARG: zero size, overlap with a live bridge. Delete of
/// an unknown handle answers EINVAL_ARG. (Status choices are qtz decisions; the spec names no codes.)
/// </summary>
[ScmService(ScmCatalog.Mp)]
public sealed partial class ShmBridgeService(SecureWorld world, ShmBridgeSupport support = ShmBridgeSupport.Supported)
{
    public const byte EnableCommand = ScmCatalog.MpShmBridgeEnable;
    public const byte DeleteCommand = ScmCatalog.MpShmBridgeDelete;
    public const byte CreateCommand = ScmCatalog.MpShmBridgeCreate;

    /// <summary>SHMBRIDGE_RESULT_NOTSUPP.</summary>
    public const ulong ResultNotSupported = 4;

    private const ulong PageMask = 0xFFF;
    private const ulong PermissionMask = 0x7;

    [ScmCommand(EnableCommand)]
    public ScmReply Enable(ScmRequest request)
    {
        if (support == ShmBridgeSupport.NotSupported) return ScmReply.ServiceError(ResultNotSupported);
        world.Bridges.Enable();
        return ScmReply.Ok();
    }

    [ScmCommand(CreateCommand)]
    public ScmReply Create(ScmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pfnAndNsPerm = request.Arg(0);
        var ipfnAndSecurePerm = request.Arg(1);
        var sizeAndFlags = request.Arg(2);
        if ((pfnAndNsPerm & PageMask & ~PermissionMask) != 0 || (ipfnAndSecurePerm & PageMask & ~PermissionMask) != 0)
            return ScmReply.Fail(ScmStatus.InvalidAddress);
        var address = pfnAndNsPerm & ~PageMask;
        var size = sizeAndFlags & ~PageMask;
        if (size == 0) return ScmReply.Fail(ScmStatus.InvalidArgument);
        if (world.CheckNonSecureRam(request.Caller, new PhysAddr(address), size) != ScmStatus.Success)
            return ScmReply.Fail(ScmStatus.InvalidAddress);
        var status = world.Bridges.Create(
            new PhysRange(new PhysAddr(address), size),
            ScmPermissions.ToAccess(pfnAndNsPerm),
            ScmPermissions.ToAccess(ipfnAndSecurePerm),
            (uint)(sizeAndFlags & PageMask),
            request.Arg(3),
            out var handle);
        return status == ScmStatus.Success ? ScmReply.Ok(0, handle) : ScmReply.Fail(status);
    }

    [ScmCommand(DeleteCommand)]
    public ScmReply Delete(ScmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return world.Bridges.Delete(request.Arg(0)) ? ScmReply.Ok() : ScmReply.Fail(ScmStatus.InvalidArgument);
    }
}

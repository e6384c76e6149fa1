using Qtz.Soc.Nor;
using Qtz.Soc.Nor.StorageWire;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Mtd.ScmStorage;

/// <summary>The v2 driver's map from the service's result[0] to errno (spec/mtd.md §5.2).</summary>
public static class StorageErrno
{
    public static int FromResult(ulong result) => (StorageResult)result switch
    {
        StorageResult.Success => 0,
        StorageResult.NoMemory => -ENOMEM,
        StorageResult.InvalidParameter => -EINVAL,
        StorageResult.StorageError => -EIO,
        StorageResult.AccessDenied => -EACCES,
        StorageResult.NotSupported => -EOPNOTSUPP,
        StorageResult.MacMismatch => -EBADMSG,
        StorageResult.AlreadyRunning => -EALREADY,
        StorageResult.PartitionNotFound => -ENOENT,
        StorageResult.ReadOnly => -EROFS,
        _ => -EIO,
    };
}

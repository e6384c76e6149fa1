using Qtz.Soc.Smc;

namespace Qtz.Soc.Nor.StorageWire;

/// <summary>enum qcom_scm_storage_type.</summary>
public enum StorageType : ulong
{
    Null = 0,
    SpiNor = 1,
}

/// <summary>enum qcom_scm_storage_cmd_id.</summary>
public enum StorageCommandId : ulong
{
    Init = 0,
    Read = 1,
    Write = 2,
    Erase = 3,
    GetInfo = 4,
    Deinit = 5,
}

/// <summary>The storage service's result[0] codes (v2; 6–9 are new in v2).</summary>
public enum StorageResult : ulong
{
    Success = 0,
    NoMemory = 1,
    InvalidParameter = 2,
    StorageError = 3,
    AccessDenied = 4,
    NotSupported = 5,
    MacMismatch = 6,
    AlreadyRunning = 7,
    PartitionNotFound = 8,
    ReadOnly = 9,
}

/// <summary>The SCM IDs of the storage call (QCOM_SCM_SVC_STORAGE, QCOM_SCM_STORAGE_CMD).</summary>
public static class StorageCall
{
    public const byte Service = ScmCatalog.Storage;
    public const byte Command = 0x01;

    /// <summary>cmd, details and data share one tzmem payload: data starts at 72.</summary>
    public const int PayloadHeaderSize = StorageCommand.Size + StorageCommandDetails.Size;
}

namespace Qtz.Soc.Smc;

/// <summary>
/// The status codes TrustZone returns in x0 (spec/scm-pas.md §1.6, include/linux/firmware/qcom/qcom_scm.h),
/// shared by both worlds because they are the wire ABI. Negative values are sign-extended to 64 bits.
/// </summary>
public static class ScmStatus
{
    public const long Success = 0;

    /// <summary>QCOM_SCM_INTERRUPTED: re-issue with x0 = 1 and x6 = the returned session word.</summary>
    public const long Interrupted = 1;

    /// <summary>QCOM_SCM_WAITQ_SLEEP: the call sleeps on a wait queue (not modelled by the dispatcher).</summary>
    public const long WaitqSleep = 2;

    /// <summary>QCOM_SCM_ERROR; also SMCCC_RET_NOT_SUPPORTED (-1), the answer to an unknown function ID.</summary>
    public const long Error = -1;

    public const long InvalidArgument = -2;

    public const long InvalidAddress = -3;

    public const long NotSupported = -4;

    public const long NoMemory = -5;

    /// <summary>QCOM_SCM_V2_EBUSY: non-atomic callers sleep 30 ms and retry.</summary>
    public const long Busy = -12;

    /// <summary>The x0 value a caller puts back to resume an interrupted call.</summary>
    public const ulong ResumeFunctionId = 1;

    /// <summary>QCOM_SCM_* name of a status, or its number.</summary>
    public static string Name(long status) => status switch
    {
        Success => "OK",
        Interrupted => "INTERRUPTED",
        WaitqSleep => "WAITQ_SLEEP",
        Error => "ERROR",
        InvalidArgument => "EINVAL_ARG",
        InvalidAddress => "EINVAL_ADDR",
        NotSupported => "EOPNOTSUPP",
        NoMemory => "ENOMEM",
        Busy => "EBUSY",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

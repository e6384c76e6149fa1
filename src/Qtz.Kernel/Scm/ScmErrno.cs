using Qtz.Soc;

namespace Qtz.Kernel;

/// <summary>
/// The Linux errno values the SCM client returns (negated, as kernel functions do). A minimal local
/// table until the kernel-wide errno enum lands (same numbers as include/uapi/asm-generic/errno*.h, so
/// <c>(Errno)(-ret)</c> will convert directly).
/// </summary>
public static class ScmErrno
{
    public const int EIO = 5;
    public const int ENOMEM = 12;
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int EOPNOTSUPP = 95;

    /// <summary>
    /// qcom_scm_remap_error: TZ status → negative errno. x0 is read as a signed long and narrowed to int
    /// first, exactly as the C code passes it to an int parameter.
    /// </summary>
    public static int FromScmStatus(ulong x0) => (int)(long)x0 switch
    {
        (int)ScmStatus.Error => -EIO,
        (int)ScmStatus.InvalidAddress or (int)ScmStatus.InvalidArgument => -EINVAL,
        (int)ScmStatus.NotSupported => -EOPNOTSUPP,
        (int)ScmStatus.NoMemory => -ENOMEM,
        (int)ScmStatus.Busy => -EBUSY,
        _ => -EINVAL,
    };

    /// <summary>"-EBUSY" for -16, for messages.</summary>
    public static string Name(int error) => -error switch
    {
        0 => "0",
        EIO => "-EIO",
        ENOMEM => "-ENOMEM",
        EBUSY => "-EBUSY",
        EINVAL => "-EINVAL",
        EOPNOTSUPP => "-EOPNOTSUPP",
        _ => error.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

using Qtz.Soc;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.ScmClient;

/// <summary>
/// The errno values the SCM client returns, as ints (negated, as kernel functions do); the numbers are
/// <see cref="Errno"/>'s, so <c>(Errno)(-ret)</c> converts directly.
/// </summary>
public static class ScmErrno
{
    public const int EIO = (int)Errno.EIO;
    public const int ENOMEM = (int)Errno.ENOMEM;
    public const int EBUSY = (int)Errno.EBUSY;
    public const int EINVAL = (int)Errno.EINVAL;
    public const int EOPNOTSUPP = (int)Errno.EOPNOTSUPP;

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
    public static string Name(int error) => error switch
    {
        0 => "0",
        < 0 when Enum.IsDefined((Errno)(-error)) => "-" + ((Errno)(-error)).Name(),
        _ => error.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

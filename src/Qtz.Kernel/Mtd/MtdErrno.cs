namespace Qtz.Kernel.Mtd;

/// <summary>
/// The Linux/arm64 errno values the MTD layer returns (negated, as the kernel does). Kept local to
/// MTD until the kernel-wide errno type is merged; the numbers are the ABI's, so the two agree.
/// </summary>
public static class MtdErrno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int EBADMSG = 74;
    public const int EOPNOTSUPP = 95;
    public const int EALREADY = 114;
    public const int EUCLEAN = 117;

    /// <summary>Kernel-internal; user space sees "Unknown error 524".</summary>
    public const int ENOTSUPP = 524;

    /// <summary>The symbolic name of a (positive or negative) errno, e.g. "EROFS".</summary>
    public static string Name(int errno) => Math.Abs(errno) switch
    {
        0 => "0",
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EINTR => "EINTR",
        EIO => "EIO",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EFAULT => "EFAULT",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        EINVAL => "EINVAL",
        ENOTTY => "ENOTTY",
        ENOSPC => "ENOSPC",
        EROFS => "EROFS",
        EBADMSG => "EBADMSG",
        EOPNOTSUPP => "EOPNOTSUPP",
        EALREADY => "EALREADY",
        EUCLEAN => "EUCLEAN",
        ENOTSUPP => "ENOTSUPP",
        var other => "errno " + other.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>strerror-style text for user messages.</summary>
    public static string Describe(int errno) => Math.Abs(errno) switch
    {
        EPERM => "Operation not permitted",
        ENOENT => "No such file or directory",
        EIO => "Input/output error",
        ENOMEM => "Cannot allocate memory",
        EACCES => "Permission denied",
        ENODEV => "No such device",
        EINVAL => "Invalid argument",
        ENOTTY => "Inappropriate ioctl for device",
        ENOSPC => "No space left on device",
        EROFS => "Read-only file system",
        EBADMSG => "Bad message",
        EOPNOTSUPP => "Operation not supported",
        EALREADY => "Operation already in progress",
        EUCLEAN => "Structure needs cleaning",
        ENOTSUPP => "Unknown error 524",
        _ => Name(errno),
    } + " (" + Name(errno) + ")";
}

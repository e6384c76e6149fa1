namespace Qtz.Kernel.Mtd;

/// <summary>
/// The errno values the MTD layer returns, as ints (MTD functions return 0 or -errno, as the kernel's
/// do). The numbers and their names are <see cref="Errno"/>'s.
/// </summary>
public static class MtdErrno
{
    public const int EPERM = (int)Errno.EPERM;
    public const int ENOENT = (int)Errno.ENOENT;
    public const int EINTR = (int)Errno.EINTR;
    public const int EIO = (int)Errno.EIO;
    public const int ENOMEM = (int)Errno.ENOMEM;
    public const int EACCES = (int)Errno.EACCES;
    public const int EFAULT = (int)Errno.EFAULT;
    public const int EEXIST = (int)Errno.EEXIST;
    public const int ENODEV = (int)Errno.ENODEV;
    public const int EINVAL = (int)Errno.EINVAL;
    public const int ENOTTY = (int)Errno.ENOTTY;
    public const int ENOSPC = (int)Errno.ENOSPC;
    public const int EROFS = (int)Errno.EROFS;
    public const int EBADMSG = (int)Errno.EBADMSG;
    public const int EOPNOTSUPP = (int)Errno.EOPNOTSUPP;
    public const int EALREADY = (int)Errno.EALREADY;
    public const int EUCLEAN = (int)Errno.EUCLEAN;

    /// <summary>Kernel-internal; user space sees "Unknown error 524".</summary>
    public const int ENOTSUPP = (int)Errno.ENOTSUPP;

    /// <summary>strerror-style text for user messages, e.g. "Read-only file system (EROFS)".</summary>
    public static string Describe(int errno) => ((Errno)Math.Abs(errno)).Describe();
}

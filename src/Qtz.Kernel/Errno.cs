using System.Diagnostics.CodeAnalysis;

namespace Qtz.Kernel;

/// <summary>
/// Linux error numbers (include/uapi/asm-generic/errno-base.h and errno.h), the one errno type. Two
/// spellings of a failure exist, as in Linux: a method returning <see cref="Errno"/> returns the positive
/// number (<c>-EEXIST</c> in Linux is <see cref="EEXIST"/> here), while methods that mirror a Linux function
/// returning int keep its "0 or -errno" contract (<see cref="ErrnoExtensions.ToLinux"/>, the Scm and MTD
/// tables). The naming rule is one: <see cref="ErrnoExtensions.Name"/> is the symbol ("EBUSY"), and a
/// returned error is printed as Linux's %pe prints it, "-EBUSY" (<see cref="ErrnoExtensions.ReturnName"/>).
/// </summary>
public enum Errno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    E2BIG = 7,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EINVAL = 22,
    ENOTTY = 25,
    ENOSPC = 28,
    EROFS = 30,
    ERANGE = 34,
    ENOSYS = 38,
    ENODATA = 61,
    ETIMEDOUT = 110,
    EALREADY = 114,
    EOPNOTSUPP = 95,
    EBADMSG = 74,
    EOVERFLOW = 75,
    EUCLEAN = 117,
    EPROBE_DEFER = 517,

    /// <summary>Kernel-internal; user space sees "Unknown error 524".</summary>
    ENOTSUPP = 524,
}

/// <summary>A kernel-side failure carrying the errno Linux would return, for callers that prefer exceptions.</summary>
public sealed class KernelException : Exception
{
    public KernelException()
        : this(Errno.EINVAL, "invalid argument")
    {
    }

    public KernelException(string message)
        : this(Errno.EINVAL, message)
    {
    }

    public KernelException(string message, Exception innerException)
        : base(message, innerException) => Errno = Errno.EINVAL;

    public KernelException(Errno errno, string message)
        : base($"{message} ({errno.ReturnName()})") => Errno = errno;

    public Errno Errno { get; }
}

public static class ErrnoExtensions
{
    public static bool IsError(this Errno errno) => errno != Errno.None;

    /// <summary>The negative number Linux code would see (0 for success).</summary>
    public static int ToLinux(this Errno errno) => -(int)errno;

    /// <summary>The symbolic name, e.g. "EROFS" ("0" for success, "errno N" for a number Linux does not name here).</summary>
    public static string Name(this Errno errno) => errno switch
    {
        Errno.None => "0",
        _ when Enum.IsDefined(errno) => errno.ToString(),
        _ => "errno " + ((int)errno).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A "0 or -errno" return as Linux's %pe prints it: "-EBUSY" for -16, "0" for success, the number when Linux names none here.</summary>
    public static string ReturnName(int ret) => ret switch
    {
        0 => "0",
        < 0 when ret != int.MinValue && Enum.IsDefined((Errno)(-ret)) => "-" + ((Errno)(-ret)).Name(),
        _ => ret.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A failed <see cref="Errno"/> result as a returned error is printed: "-EBUSY".</summary>
    public static string ReturnName(this Errno errno) => ReturnName(errno.ToLinux());

    /// <summary>strerror-style text with the name, e.g. "Read-only file system (EROFS)", for user messages.</summary>
    public static string Describe(this Errno errno) => errno switch
    {
        Errno.EPERM => "Operation not permitted",
        Errno.ENOENT => "No such file or directory",
        Errno.EINTR => "Interrupted system call",
        Errno.EIO => "Input/output error",
        Errno.ENXIO => "No such device or address",
        Errno.ENOMEM => "Cannot allocate memory",
        Errno.EACCES => "Permission denied",
        Errno.EFAULT => "Bad address",
        Errno.EBUSY => "Device or resource busy",
        Errno.EEXIST => "File exists",
        Errno.ENODEV => "No such device",
        Errno.EINVAL => "Invalid argument",
        Errno.ENOTTY => "Inappropriate ioctl for device",
        Errno.ENOSPC => "No space left on device",
        Errno.EROFS => "Read-only file system",
        Errno.EBADMSG => "Bad message",
        Errno.EOPNOTSUPP => "Operation not supported",
        Errno.ETIMEDOUT => "Connection timed out",
        Errno.EALREADY => "Operation already in progress",
        Errno.EUCLEAN => "Structure needs cleaning",
        Errno.ENOTSUPP => "Unknown error 524",
        _ => errno.Name(),
    } + " (" + errno.Name() + ")";

    /// <summary>Throws a <see cref="KernelException"/> naming <paramref name="what"/> unless <paramref name="errno"/> is success.</summary>
    public static void ThrowIfError(this Errno errno, string what)
    {
        if (errno != Errno.None) Throw(errno, what);
    }

    [DoesNotReturn]
    private static void Throw(Errno errno, string what) => throw new KernelException(errno, what);
}

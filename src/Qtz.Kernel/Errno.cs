using System.Diagnostics.CodeAnalysis;

namespace Qtz.Kernel;

/// <summary>
/// Linux error numbers (include/uapi/asm-generic/errno-base.h and errno.h) for kernel-side APIs that
/// follow the "0 or -errno" contract. <see cref="None"/> is success; a method returning
/// <see cref="Errno"/> returns the positive number, so <c>-EEXIST</c> in Linux is <see cref="EEXIST"/> here.
/// </summary>
public enum Errno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    EIO = 5,
    E2BIG = 7,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EINVAL = 22,
    ENOSPC = 28,
    EROFS = 30,
    ERANGE = 34,
    ENOSYS = 38,
    ENODATA = 61,
    ETIMEDOUT = 110,
    EOPNOTSUPP = 95,
    EBADMSG = 74,
    EOVERFLOW = 75,
    EUCLEAN = 117,
    EPROBE_DEFER = 517,
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
        : base($"{message} (-{errno})") => Errno = errno;

    public Errno Errno { get; }
}

public static class ErrnoExtensions
{
    public static bool IsError(this Errno errno) => errno != Errno.None;

    /// <summary>The negative number Linux code would see (0 for success).</summary>
    public static int ToLinux(this Errno errno) => -(int)errno;

    /// <summary>Throws a <see cref="KernelException"/> naming <paramref name="what"/> unless <paramref name="errno"/> is success.</summary>
    public static void ThrowIfError(this Errno errno, string what)
    {
        if (errno != Errno.None) Throw(errno, what);
    }

    [DoesNotReturn]
    private static void Throw(Errno errno, string what) => throw new KernelException(errno, what);
}

using Qtz.Kernel.Mtd;
using Xunit;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tests;

public class ErrnoTests
{
    [Fact]
    public void Errno_values_are_the_linux_numbers()
    {
        Assert.Equal(-22, Errno.EINVAL.ToLinux());
        Assert.Equal(-34, Errno.ERANGE.ToLinux());
        Assert.Equal(-17, Errno.EEXIST.ToLinux());
        Assert.Equal(-12, Errno.ENOMEM.ToLinux());
        Assert.Equal(0, Errno.None.ToLinux());
    }

    [Fact]
    public void ThrowIfError_carries_the_errno_and_says_what_failed()
    {
        var error = Assert.Throws<KernelException>(() => Errno.EEXIST.ThrowIfError("map 0x1000"));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("map 0x1000 (-EEXIST)", error.Message);
        Errno.None.ThrowIfError("never thrown");
    }

    [Fact]
    public void The_mtd_and_scm_tables_are_the_kernel_errno_numbers_and_names()
    {
        Assert.Equal((int)Errno.EROFS, MtdErrno.EROFS);
        Assert.Equal((int)Errno.EUCLEAN, MtdErrno.EUCLEAN);
        Assert.Equal((int)Errno.EOPNOTSUPP, ScmErrno.EOPNOTSUPP);
        Assert.Equal("EROFS", MtdErrno.Name(-30));
        Assert.Equal("Read-only file system (EROFS)", MtdErrno.Describe(-30));
        Assert.Equal("Unknown error 524 (ENOTSUPP)", MtdErrno.Describe(-524));
        Assert.Equal("errno 999", MtdErrno.Name(999));
        Assert.Equal("-EBUSY", ScmErrno.Name(-16));
        Assert.Equal("-999", ScmErrno.Name(-999));
        Assert.Equal("0", ScmErrno.Name(0));
    }

    [Fact]
    public void Every_errno_has_a_strerror_text_and_its_name()
    {
        foreach (var errno in Enum.GetValues<Errno>().Where(e => e is not (Errno.None or Errno.E2BIG or Errno.EAGAIN or Errno.ERANGE or Errno.ENOSYS or Errno.ENODATA or Errno.EOVERFLOW or Errno.EPROBE_DEFER)))
        {
            var text = errno.Describe();
            Assert.EndsWith($" ({errno})", text);
            Assert.NotEqual($"{errno} ({errno})", text);
        }
    }
}

using Xunit;

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
}

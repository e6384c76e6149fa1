using Xunit;
using Qtz.Linux.Run;
using Qtz.Linux.Setup;

namespace Qtz.Linux.Tests;

public class HostToolsTests
{
    [Fact]
    public void A_missing_tool_is_named_with_the_apt_command_that_installs_it()
    {
        var e = Assert.Throws<LinuxEnvironmentException>(() => HostTools.Require(new HostTool("qtz-no-such-tool", "qtz-pkg")));
        Assert.Equal("'qtz-no-such-tool' is not installed; install it with: sudo apt-get install qtz-pkg", e.Message);
    }

    [Fact]
    public void Several_missing_tools_are_installed_by_one_command()
    {
        var e = Assert.Throws<LinuxEnvironmentException>(() => HostTools.RequireAll([new HostTool("qtz-a", "pa"), new HostTool("qtz-b", "pb"), new HostTool("qtz-c", "pa")]));
        Assert.EndsWith("install with: sudo apt-get install pa pb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_cache_says_to_run_setup()
    {
        var e = Assert.Throws<LinuxEnvironmentException>(() => new LinuxCache(Path.Combine(Path.GetTempPath(), $"qtz-empty-{Guid.NewGuid():n}")).RequireReady());
        Assert.EndsWith("run: qtz linux setup", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_arm64_Image_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("qtz-kernel-").FullName;
        try
        {
            var bogus = Path.Combine(dir, "Image");
            File.WriteAllBytes(bogus, new byte[4096]);
            var e = Assert.Throws<InvalidDataException>(() => KernelImage.Resolve(bogus, new LinuxCache(dir), dir));
            Assert.Contains("not an arm64 Image", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

using Qtz.Linux;
using Xunit;

namespace Qtz.Linux.Tests;

/// <summary>
/// A fact that boots the real guest: it skips, with the command that fixes it, when QEMU is absent or
/// <c>qtz linux setup</c> has not been run (a plain clone never fails on it).
/// </summary>
public sealed class RequiresLinuxGuestFactAttribute : FactAttribute
{
    public RequiresLinuxGuestFactAttribute()
    {
        if (HostTools.Find(HostTools.Qemu.Command) is null)
            Skip = $"qemu-system-aarch64 is not installed; run: sudo apt-get install {HostTools.Qemu.Package} && qtz linux setup";
        else if (!LinuxCache.Default().IsReady)
            Skip = $"the Linux guest is not set up in {LinuxCache.Default().Root}; run: qtz linux setup";
    }
}

/// <summary>Guest boots share the machine's two cores badly: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GuestBoots
{
    public const string Name = "guest boots";
}

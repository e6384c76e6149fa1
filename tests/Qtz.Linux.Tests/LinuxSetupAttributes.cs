using Qtz.Linux;
using Xunit;
using Qtz.Linux.Setup;

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

/// <summary>A guest boot that needs the seed storage driver (built only when the patch was found at setup).</summary>
public sealed class RequiresSeedDriverFactAttribute : FactAttribute
{
    public RequiresSeedDriverFactAttribute()
    {
        Skip = new RequiresLinuxGuestFactAttribute().Skip;
        if (Skip is null && !LinuxCache.Default().HasSeedDriver)
            Skip = "the seed storage driver was not built (scm-storage-v2.patch.txt not found at setup); run: qtz linux setup --seed-patch FILE";
    }
}

/// <summary>Guest boots share the machine's two cores badly: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GuestBoots
{
    public const string Name = "guest boots";
}

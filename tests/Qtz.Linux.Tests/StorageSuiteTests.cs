using Xunit;
using Qtz.Linux.Setup;
using Qtz.Linux.Suites;

namespace Qtz.Linux.Tests;

/// <summary>The real storage suite: two boots (program, erase-program + mainline's pool).</summary>
[Collection(GuestBoots.Name)]
public class StorageSuiteTests
{
    [RequiresSeedDriverFact]
    public void The_seed_driver_passes_the_storage_suite_under_both_TZ_write_semantics()
    {
        var report = new StorageSuite().Run(new LinuxSuiteContext(LinuxCache.Default(), _ => { }, null, CancellationToken.None));
        Assert.True(report.Passed, report.Summary);
        Assert.Equal(2, report.Boots.Count);
        Assert.Contains(report.Checks, c => c.Name == "erase-program/enomem_at_252k" && c.Passed);
        Assert.Contains(report.Checks, c => c.Name == "program/image_overwrite_without_erase" && c.Passed);
    }
}

using Qtz.Linux.Remoteproc;
using Xunit;
using Qtz.Linux.Setup;
using Qtz.Linux.Suites;

namespace Qtz.Linux.Tests.Remoteproc;

/// <summary>
/// The three remoteproc suites, one guest boot each (about 15, 25 and 25 s on two cores): the real
/// PAS client on the real images, the real qcom_q6v5_pas through sysfs with a host-injected crash and
/// the trace comparison, and the KVM-host failure.
/// </summary>
[Collection(GuestBoots.Name)]
public class SuiteBootTests
{
    private static LinuxSuiteContext Context() => new(LinuxCache.Default(), _ => { }, null, CancellationToken.None);

    [RequiresGuestAndFirmwareFact]
    public void The_real_PAS_client_authenticates_the_real_images_and_TZ_refuses_tampered_ones_as_in_process()
    {
        var report = new PasSuite().Run(Context());
        Assert.True(report.Passed, report.Summary);
        Assert.Single(report.Boots);
        Assert.Contains(report.Checks, c => c.Name.Contains("segment-tampered", StringComparison.Ordinal) && c.Passed);
        Assert.Contains(report.Checks, c => c.Name.Contains("hashtable-tampered", StringComparison.Ordinal) && c.Passed);
    }

    [RequiresGuestAndFirmwareFact]
    public void The_real_PAS_driver_starts_stops_and_recovers_all_five_DSPs_and_its_trace_matches_the_model()
    {
        var report = new RprocSuite().Run(Context());
        Assert.True(report.Passed, report.Summary);
        Assert.Equal(5, report.Checks.Count(c => c.Name.Contains("trace equals qtz's C# model", StringComparison.Ordinal)));
        Assert.Contains(report.Checks, c => c.Name.StartsWith("adsp: recovered -> running", StringComparison.Ordinal));
    }

    [RequiresGuestAndFirmwareFact]
    public void On_a_KVM_host_the_6_12_driver_s_DSPs_fault_in_the_SMMU_and_fail_to_start()
    {
        var report = new RprocKvmSuite().Run(Context());
        Assert.True(report.Passed, report.Summary);
        Assert.Equal(5, report.Checks.Count(c => c.Name.Contains("faulted in the SMMU", StringComparison.Ordinal)));
    }
}

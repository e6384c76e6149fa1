using Qtz.Linux.Remoteproc;
using Xunit;

namespace Qtz.Linux.Tests.Remoteproc;

public class PasSuiteParseTests
{
    [Fact]
    public void The_client_lines_are_read_from_the_kernel_log_prefix_on()
    {
        var found = PasSuite.Parse([
            "[    5.38] qtz-pas: fw=qcom/sa8775p/adsp.mbn pas=1 size=6643712 init=0 load=0 auth=0 shutdown=0 reloc=0x95c00000",
            "[    5.95] platform qtz_pas_client: error 3 initializing firmware x.mbn",
            "[    5.96] qtz-pas: fw=x.mbn pas=1 size=1 init=3 load=-8 auth=-8 shutdown=-8 reloc=0x0",
            "[    6.00] qtz-pas: fw=missing.mbn pas=1 request_firmware=-2",
            "qtz-pas-count: 3",
        ]);
        Assert.Equal(PasOutcome.Accepted, found["qcom/sa8775p/adsp.mbn"]);
        Assert.Equal(new PasOutcome(3, PasOutcome.NotReached, PasOutcome.NotReached, PasOutcome.NotReached), found["x.mbn"]);
        Assert.Equal(-2, found["missing.mbn"].Init);
        Assert.Equal(3, found.Count);
    }

    [Fact]
    public void A_refused_image_passes_only_with_the_in_process_codes()
    {
        var expected = new PasOutcome(0, 0, 8, PasOutcome.NotReached);
        Assert.True(new PasCaseResult("a", "adsp", 1, Tamper.Segment, new PasOutcome(0, 0, 8, 0), expected).Passed);
        Assert.False(new PasCaseResult("a", "adsp", 1, Tamper.Segment, new PasOutcome(0, 0, 3, 0), expected).Passed);
        Assert.False(new PasCaseResult("a", "adsp", 1, Tamper.Segment, null, expected).Passed);
        Assert.False(new PasCaseResult("a", "adsp", 1, null, new PasOutcome(0, 0, 0, -22), PasOutcome.Accepted).Passed);
    }

    [Fact]
    public void Remoteproc_step_lines_are_read_and_cues_are_not_steps()
    {
        var steps = RprocSuite.Parse(["qtz-rproc: count 5", "qtz-rproc: adsp autoboot running", "qtz-rproc: inject crash adsp", "[ 1.0] qtz-rproc: adsp stop offline", "qtz-rproc: adsp recovered running crashes 1"]);
        Assert.Equal([new RprocStep("adsp", "autoboot", "running"), new RprocStep("adsp", "recovered", "running")], steps);
    }
}

using Qtz.Linux.Remoteproc;
using Xunit;

namespace Qtz.Linux.Tests.Remoteproc;

public class RprocInjectionTests
{
    [Theory]
    [InlineData("crash adsp@5s", RprocFault.Crash, "adsp", 5000)]
    [InlineData("fatal cdsp0@2500ms", RprocFault.Crash, "cdsp0", 2500)]
    [InlineData("wdog gpdsp1@0.5s", RprocFault.Watchdog, "gpdsp1", 500)]
    [InlineData("  hang cdsp1@0ms ", RprocFault.Hang, "cdsp1", 0)]
    public void An_injection_reads_kind_name_and_time(string text, RprocFault fault, string dsp, double ms)
    {
        var i = RprocInjection.Parse(text);
        Assert.Equal((fault, dsp, TimeSpan.FromMilliseconds(ms)), (i.Fault, i.Dsp, i.At));
    }

    [Theory]
    [InlineData("crash adsp", "KIND NAME@TIME")]
    [InlineData("boom adsp@1s", "unknown kind 'boom'")]
    [InlineData("crash adsp@soon", "time 'soon'")]
    [InlineData("crash adsp@-1s", "time '-1s'")]
    [InlineData("crash adsp@5", "time '5'")]
    [InlineData("crash @5s", "KIND NAME@TIME")]
    public void A_malformed_injection_is_refused_naming_the_bad_part(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => RprocInjection.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_injection_prints_as_it_parses()
    {
        var i = RprocInjection.Parse("wdog cdsp0@2s");
        Assert.Equal(i, RprocInjection.Parse(i.ToString()));
    }
}

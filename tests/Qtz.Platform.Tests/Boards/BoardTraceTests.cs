using Qtz.Platform.Boards;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Time;

namespace Qtz.Platform.Tests.Boards;

public sealed class BoardTraceTests
{
    [Fact]
    public void A_trace_with_a_capacity_keeps_the_most_recent_events_in_order_and_counts_the_rest()
    {
        var trace = new BoardTrace(capacity: 3);
        for (var i = 0; i < 7; i++) trace.Add(new VirtualTime(i), BoardTraceKind.Note, "t", $"e{i}");
        Assert.Equal(["e4", "e5", "e6"], trace.Events.Select(e => e.Text));
        Assert.Equal(4, trace.Dropped);
    }

    [Fact]
    public void A_trace_without_a_capacity_keeps_everything()
    {
        var trace = new BoardTrace();
        for (var i = 0; i < 5000; i++) trace.Add(new VirtualTime(i), BoardTraceKind.Note, "t", "e");
        Assert.Equal(5000, trace.Events.Count);
        Assert.Equal(0, trace.Dropped);
    }
}

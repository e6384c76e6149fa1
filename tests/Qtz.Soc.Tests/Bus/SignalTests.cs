using Qtz.Soc;
using Xunit;
using Qtz.Soc.Signals;

namespace Qtz.Soc.Tests.Bus;

public class SignalTests
{
    [Fact]
    public void Smp2p_reports_one_edge_per_changed_bit()
    {
        var entry = new Smp2pEntry("adsp", "master-kernel");
        var edges = new List<(int Bit, bool Value)>();
        entry.BitChanged += (bit, value) => edges.Add((bit, value));
        entry.Update(0b101, 0b101);
        entry.Update(0b111, 0b011); // bit 1 rises, bit 2 falls, bit 0 unchanged
        Assert.Equal([(0, true), (2, true), (1, true), (2, false)], edges);
        Assert.Equal(0b011u, entry.Bits);
    }

    [Fact]
    public void Setting_a_bit_to_its_current_value_is_not_an_edge()
    {
        var entry = new Smp2pEntry("apps", "stop");
        var edges = 0;
        entry.BitChanged += (_, _) => edges++;
        entry.Set(0, true);
        entry.Set(0, true);
        Assert.Equal(1, edges);
        Assert.True(entry.Get(0));
    }

    [Fact]
    public void Reset_clears_the_bits_without_edges()
    {
        var entry = new Smp2pEntry("adsp", "x");
        entry.Set(3, true);
        var edges = 0;
        entry.BitChanged += (_, _) => edges++;
        entry.Reset();
        Assert.Equal(0u, entry.Bits);
        Assert.Equal(0, edges);
    }

    [Fact]
    public void An_irq_line_runs_handlers_on_the_rising_edge_only()
    {
        var line = new InterruptController().Line("adsp:wdog");
        var raised = 0;
        line.Raised += _ => raised++;
        line.Raise();
        line.Raise();
        Assert.Equal(1, raised);
        line.Lower();
        line.Raise();
        Assert.Equal(2, raised);
        Assert.Equal(2, line.RaiseCount);
    }

    [Fact]
    public void Smem_keeps_the_crash_reason_string()
    {
        var smem = new SharedMemory();
        smem.WriteString(2, 423, "err_fatal: watchdog");
        Assert.Equal("err_fatal: watchdog", smem.ReadString(2, 423));
        smem.Clear(2, 423);
        Assert.Null(smem.ReadString(2, 423));
    }
}

using Qtz.Linux.Bridge;
using Qtz.Soc;
using Xunit;
using Qtz.Linux.Guest;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Tests;

public sealed class MailboxTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"qtz-mbox-{Guid.NewGuid():n}");
    private readonly MappedFileRam _ram;
    private readonly Mailbox _mailbox;

    public MailboxTests()
    {
        _ram = MappedFileRam.Create(_path, 0x4000);
        _mailbox = new Mailbox(_ram, 0x3000);
    }

    public void Dispose()
    {
        _ram.Dispose();
        File.Delete(_path);
    }

    [Fact]
    public void Attaching_clears_the_page_and_writes_the_host_magic()
    {
        _ram.Fill(0x3000, 0x1000, 0xAA);
        _mailbox.Attach();
        Assert.Equal(MailboxLayout.HostMagic, _ram.ReadUInt64Acquire(0x3000));
        Assert.Equal(0UL, _ram.ReadUInt64Acquire(0x3000 + MailboxLayout.RequestSequence));
        _mailbox.Detach();
        Assert.Equal(0UL, _ram.ReadUInt64Acquire(0x3000));
    }

    [Theory]
    [InlineData(0x3C5UL, 1)] // EL1h, DAIF masked
    [InlineData(0x3C9UL, 2)] // EL2h
    [InlineData(0x3C4UL, 1)] // EL1t
    public void The_callers_exception_level_comes_from_SPSR_EL3(ulong spsr, int el)
    {
        _ram.WriteUInt64Release(0x3000 + MailboxLayout.Caller, spsr);
        var request = _mailbox.ReadRequest(1);
        Assert.Equal(el, request.CallerEl);
        Assert.Equal(el, request.ToSmcCall().CallerEl);
    }

    [Fact]
    public void A_request_carries_x0_to_x7_as_the_monitor_stored_them()
    {
        for (var i = 0; i < 18; i++) _ram.WriteUInt64Release(0x3000 + MailboxLayout.Request + (ulong)(8 * i), 0x100UL + (ulong)i);
        var call = _mailbox.ReadRequest(5).ToSmcCall();
        Assert.Equal((0x100UL, 0x101UL, 0x102UL, 0x105UL, 0x106UL, 0x107UL), (call.X0, call.X1, call.X2, call.X5, call.X6, call.X7));
    }

    [Fact]
    public void A_response_writes_x0_to_x3_and_x6_then_publishes_the_sequence()
    {
        _mailbox.WriteResponse(9, new SmcResult(1, 2, 3, 4, 0x5E55), 0x5E55);
        Assert.Equal([1UL, 2, 3, 4, 0x5E55], Enumerable.Range(0, 5).Select(i => _ram.ReadUInt64Acquire(0x3000 + MailboxLayout.Response + (ulong)(8 * i))));
        Assert.Equal(9UL, _ram.ReadUInt64Acquire(0x3000 + MailboxLayout.ResponseSequence));
    }

    [Fact]
    public void The_mailbox_layout_matches_the_monitors_assembly()
    {
        var monitor = File.ReadAllText(Path.Combine(RepoRoot(), "guest", "monitor", "monitor.S"));
        foreach (var (name, value) in new[]
        {
            ("MB_MAGIC", MailboxLayout.Magic), ("MB_REQSEQ", MailboxLayout.RequestSequence), ("MB_RSPSEQ", MailboxLayout.ResponseSequence),
            ("MB_CALLER", MailboxLayout.Caller), ("MB_REQ", MailboxLayout.Request), ("MB_RSP", MailboxLayout.Response),
            ("MB_IRQREQ", MailboxLayout.IrqRequest), ("MB_IRQCNT", MailboxLayout.IrqCount),
        })
            Assert.Matches($@"#define {name}\s+0x0*{value:x}\b", monitor);
        Assert.Contains($"#define MBOX      0x{GuestMemoryMap.Mailbox.Base.Value:x}", monitor, StringComparison.Ordinal);
        Assert.Contains("ldr	x6, [x18, #MB_RSP+0x20]", monitor, StringComparison.Ordinal);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Qtz.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (Qtz.slnx) is not above the test assembly");
    }
}

using Qtz.Soc;
using Qtz.Linux.Guest;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Bridge;

/// <summary>
/// The page of guest RAM where the EL3 monitor (guest/monitor/monitor.S) and qtz meet. All fields are
/// little-endian u64 at these offsets from <see cref="GuestMemoryMap.Mailbox"/>; the monitor defines
/// the same numbers (MB_*), keep both equal.
/// </summary>
public static class MailboxLayout
{
    /// <summary>"QTZMHOST": qtz is attached (until then the monitor answers every forwarded SMC with -1).</summary>
    public const ulong HostMagic = 0x5453_4f48_4d5a_5451;
    public const ulong Magic = 0x000;

    /// <summary>Monitor: writes x0..x17 and CALLER, then increments REQSEQ.</summary>
    public const ulong RequestSequence = 0x008;

    /// <summary>qtz: writes the response, then sets RSPSEQ = REQSEQ.</summary>
    public const ulong ResponseSequence = 0x010;

    /// <summary>SPSR_EL3 of the caller: its exception level is bits [3:2].</summary>
    public const ulong Caller = 0x018;
    public const ulong Request = 0x020;
    public const int RequestRegisters = 18;

    /// <summary>x0..x3 at +0x00..+0x18, x6 at +0x20.</summary>
    public const ulong Response = 0x0b0;
    public const ulong ResponseX6 = Response + 0x20;
    public const ulong SelfTestCount = 0x100;
    public const ulong SelfTestTicks = 0x108;
    public const ulong SelfTestFrequency = 0x110;
    public const ulong ForwardedCalls = 0x118;
    public const ulong LocalCalls = 0x120;

    /// <summary>qtz → monitor: the GIC INTID to make pending on the next 'I' doorbell byte.</summary>
    public const ulong IrqRequest = 0x128;

    /// <summary>Monitor: injections performed (qtz waits for it to move before reusing the one slot).</summary>
    public const ulong IrqCount = 0x130;
    public const ulong Size = 0x1000;
}

/// <summary>The doorbell bytes on the secure PL011 (a unix socket on qtz's side).</summary>
public static class Doorbell
{
    /// <summary>Monitor → qtz: a request is in the mailbox.</summary>
    public const byte Request = (byte)'Q';

    /// <summary>qtz → monitor: the response is in the mailbox.</summary>
    public const byte Response = (byte)'R';

    /// <summary>qtz → monitor: make IRQREQ pending in the GIC (answered while waiting or as a FIQ).</summary>
    public const byte Interrupt = (byte)'I';
}

/// <summary>One forwarded SMC as the monitor left it in the mailbox.</summary>
public readonly record struct MailboxRequest(ulong Sequence, ulong Spsr, ulong X0, ulong X1, ulong X2, ulong X3, ulong X4, ulong X5, ulong X6, ulong X7)
{
    /// <summary>The caller's exception level from SPSR_EL3.M[3:2].</summary>
    public int CallerEl => (int)((Spsr >> 2) & 3);

    /// <summary>The SMC as qtz's conduit takes it; a call from EL2 is the KVM host's, anything else Linux at EL1.</summary>
    public SmcCall ToSmcCall() =>
        new(CallerEl == 2 ? BusMaster.LinuxEl2 : BusMaster.LinuxEl1, X0, X1, X2, X3, X4, X5, X6, X7);
}

/// <summary>The mailbox page inside the mapped guest RAM: reads requests, publishes responses.</summary>
public sealed class Mailbox
{
    private readonly MappedFileRam _ram;
    private readonly ulong _page;

    public Mailbox(MappedFileRam ram, ulong pageOffset)
    {
        ArgumentNullException.ThrowIfNull(ram);
        if (pageOffset > ram.SizeInBytes - MailboxLayout.Size || (pageOffset & (MailboxLayout.Size - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(pageOffset), $"mailbox page 0x{pageOffset:x} is not a page inside the 0x{ram.SizeInBytes:x}-byte RAM");
        _ram = ram;
        _page = pageOffset;
    }

    public ulong RequestSequence => Word(MailboxLayout.RequestSequence);

    public ulong IrqCount => Word(MailboxLayout.IrqCount);

    /// <summary>Clears the page and announces qtz (the monitor forwards from now on).</summary>
    public void Attach()
    {
        _ram.Fill(_page, MailboxLayout.Size, 0);
        _ram.WriteUInt64Release(_page + MailboxLayout.Magic, MailboxLayout.HostMagic);
    }

    public void Detach() => _ram.WriteUInt64Release(_page + MailboxLayout.Magic, 0);

    public MailboxRequest ReadRequest(ulong sequence)
    {
        Span<ulong> x = stackalloc ulong[8];
        for (var i = 0; i < x.Length; i++) x[i] = Word(MailboxLayout.Request + (ulong)(8 * i));
        return new MailboxRequest(sequence, Word(MailboxLayout.Caller), x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]);
    }

    /// <summary>Writes x0..x3 and x6, then publishes RSPSEQ (release: the monitor sees the registers first).</summary>
    public void WriteResponse(ulong sequence, SmcResult result, ulong x6)
    {
        Put(MailboxLayout.Response + 0x00, result.X0);
        Put(MailboxLayout.Response + 0x08, result.X1);
        Put(MailboxLayout.Response + 0x10, result.X2);
        Put(MailboxLayout.Response + 0x18, result.X3);
        Put(MailboxLayout.ResponseX6, x6);
        _ram.WriteUInt64Release(_page + MailboxLayout.ResponseSequence, sequence);
    }

    public void RequestInterrupt(uint intid) => _ram.WriteUInt64Release(_page + MailboxLayout.IrqRequest, intid);

    /// <summary>The monitor's boot self-test (pings before the kernel): round trips and CNTPCT ticks, or null.</summary>
    public (ulong Count, ulong Ticks, ulong Frequency)? SelfTest =>
        Word(MailboxLayout.SelfTestFrequency) is var f and not 0 ? (Word(MailboxLayout.SelfTestCount), Word(MailboxLayout.SelfTestTicks), f) : null;

    public ulong ForwardedCalls => Word(MailboxLayout.ForwardedCalls);

    public ulong LocalCalls => Word(MailboxLayout.LocalCalls);

    private ulong Word(ulong offset) => _ram.ReadUInt64Acquire(_page + offset);

    private void Put(ulong offset, ulong value) => _ram.WriteUInt64Release(_page + offset, value);
}

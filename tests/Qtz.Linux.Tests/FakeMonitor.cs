using System.Net.Sockets;
using Qtz.Linux.Bridge;
using Qtz.Soc;
using Qtz.Linux.Guest;
using Qtz.Soc.Bus;

namespace Qtz.Linux.Tests;

/// <summary>
/// Plays the EL3 monitor's side of the mailbox and doorbell, as guest/monitor/monitor.S does: writes
/// a request, rings 'Q', waits for 'R' (performing 'I' injections meanwhile, as the monitor's wait loop
/// does), reads the response.
/// </summary>
internal sealed class FakeMonitor : IDisposable
{
    private readonly MappedFileRam _ram;
    private readonly ulong _page = GuestMemoryMap.MailboxFileOffset;
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public FakeMonitor(MappedFileRam ram, string socketPath)
    {
        _ram = ram;
        _socket.ReceiveTimeout = 10_000; // a broken bridge fails the test instead of hanging it
        _socket.Connect(new UnixDomainSocketEndPoint(socketPath));
    }

    public List<ulong> Injected { get; } = [];

    public (ulong X0, ulong X1, ulong X2, ulong X3, ulong X6) Smc(ulong spsr, params ulong[] x)
    {
        for (var i = 0; i < 18; i++) Put(MailboxLayout.Request + (ulong)(8 * i), i < x.Length ? x[i] : 0);
        Put(MailboxLayout.Caller, spsr);
        var seq = Word(MailboxLayout.RequestSequence) + 1;
        Put(MailboxLayout.RequestSequence, seq);
        _socket.Send([Doorbell.Request]);
        var b = new byte[1];
        while (true)
        {
            if (_socket.Receive(b) != 1) throw new IOException("the bridge closed the doorbell");
            if (b[0] == Doorbell.Interrupt) Inject();
            else if (b[0] == Doorbell.Response && Word(MailboxLayout.ResponseSequence) == seq) break;
        }

        return (Word(MailboxLayout.Response), Word(MailboxLayout.Response + 8), Word(MailboxLayout.Response + 16), Word(MailboxLayout.Response + 24), Word(MailboxLayout.ResponseX6));
    }

    /// <summary>Waits for one 'I' outside a call (the monitor's FIQ handler) and performs it.</summary>
    public void TakeInterrupt()
    {
        var b = new byte[1];
        if (_socket.Receive(b) == 1 && b[0] == Doorbell.Interrupt) Inject();
    }

    public void Dispose() => _socket.Dispose();

    private void Inject()
    {
        Injected.Add(Word(MailboxLayout.IrqRequest));
        Put(MailboxLayout.IrqCount, Word(MailboxLayout.IrqCount) + 1);
    }

    private ulong Word(ulong offset) => _ram.ReadUInt64Acquire(_page + offset);

    private void Put(ulong offset, ulong value) => _ram.WriteUInt64Release(_page + offset, value);
}

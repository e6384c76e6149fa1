using System.Net.Sockets;
using Qtz.Linux.Bridge;
using Qtz.Soc;
using Qtz.Linux.Guest;
using Qtz.Soc.Bus;

namespace Qtz.Linux.Tests;

/// <summary>
/// Plays the EL3 monitor's side of the mailbox and doorbell, as guest/monitor/monitor.S does: writes
/// a request, rings 'Q' unless qtz spins, sets WAITING and waits for 'R' (performing 'I' injections
/// meanwhile, as the monitor's wait loop does), reads the response. The parts (<see cref="Post"/>,
/// <see cref="SpinFor"/>, ...) let a test play the handshake's races one step at a time.
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
        var seq = Post(spsr, x);
        if (Word(MailboxLayout.HostSpinning) == 0) Ring();
        Put(MailboxLayout.MonitorWaiting, 1);
        var b = new byte[1];
        while (Word(MailboxLayout.ResponseSequence) != seq)
        {
            if (_socket.Receive(b) != 1) throw new IOException("the bridge closed the doorbell");
            if (b[0] == Doorbell.Interrupt) Inject();
        }

        Put(MailboxLayout.MonitorWaiting, 0);
        return Response();
    }

    /// <summary>Writes a request and publishes REQSEQ, without a doorbell; returns its sequence.</summary>
    public ulong Post(ulong spsr, params ulong[] x)
    {
        for (var i = 0; i < 18; i++) Put(MailboxLayout.Request + (ulong)(8 * i), i < x.Length ? x[i] : 0);
        Put(MailboxLayout.Caller, spsr);
        var seq = Word(MailboxLayout.RequestSequence) + 1;
        Put(MailboxLayout.RequestSequence, seq);
        return seq;
    }

    public void Ring() => _socket.Send([Doorbell.Request]);

    /// <summary>Spins on RSPSEQ as the monitor does before it sleeps; false if no answer came in time.</summary>
    public bool SpinFor(ulong seq, TimeSpan limit) => SpinWait.SpinUntil(() => Word(MailboxLayout.ResponseSequence) == seq, limit);

    public void SetWaiting(bool waiting) => Put(MailboxLayout.MonitorWaiting, waiting ? 1UL : 0);

    /// <summary>The next doorbell byte from qtz, or null if none comes within <paramref name="limit"/>.</summary>
    public byte? NextByte(TimeSpan limit)
    {
        if (!_socket.Poll(limit, SelectMode.SelectRead)) return null;
        var b = new byte[1];
        return _socket.Receive(b) == 1 ? b[0] : null;
    }

    public (ulong X0, ulong X1, ulong X2, ulong X3, ulong X6) Response() =>
        (Word(MailboxLayout.Response), Word(MailboxLayout.Response + 8), Word(MailboxLayout.Response + 16), Word(MailboxLayout.Response + 24), Word(MailboxLayout.ResponseX6));

    /// <summary>Waits for one 'I' outside a call (the monitor's FIQ handler) and performs it.</summary>
    public void TakeInterrupt()
    {
        var b = new byte[1];
        while (_socket.Receive(b) == 1)
        {
            if (b[0] != Doorbell.Interrupt) continue; // an 'R' for a call that saw its answer while spinning
            Inject();
            return;
        }
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

using System.Net.Sockets;
using Qtz.Soc;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Bridge;

/// <summary>
/// qtz's end of the EL3 monitor's doorbell: a unix socket QEMU connects its secure PL011 to. On each
/// 'Q' it serves every request waiting in the <see cref="Mailbox"/> — the SMC goes to qtz's
/// <see cref="SmcConduit"/> exactly as an in-process call does, with the caller's exception level
/// from SPSR_EL3 — writes x0..x3 and x6, publishes RSPSEQ and answers 'R'. Between requests it pumps
/// the <see cref="GuestClock"/>, so scheduled events fire on this thread. PSCI and the Arm
/// architecture calls never get here: the monitor answers them. Raising a guest interrupt
/// (<see cref="Raise"/>) shares the socket: 'I' and 'R' are sent under one lock.
/// </summary>
public sealed class SmcBridge : IGuestInterrupts, IDisposable
{
    /// <summary>The monitor's private "ping" (its boot self-test and the SMC benchmark): answered here, x1 echoed.</summary>
    public const uint PingFunctionId = 0xC2FF_FF00;

    private static readonly TimeSpan InterruptTimeout = TimeSpan.FromSeconds(1);
    private readonly Mailbox _mailbox;
    private readonly SmcConduit _conduit;
    private readonly Socket _listener;
    private readonly Lock _send = new();
    private Socket? _guest;
    private ulong _served;
    private long _calls;

    public SmcBridge(Mailbox mailbox, SmcConduit conduit, GuestClock clock, string socketPath)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(conduit);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        _mailbox = mailbox;
        _conduit = conduit;
        Clock = clock;
        SocketPath = socketPath;
        File.Delete(socketPath);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(1);
    }

    public string SocketPath { get; }

    public GuestClock Clock { get; }

    /// <summary>Forwarded SMCs served (pings included).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>The first exception qtz's secure world threw (a qtz bug; the guest got -1 and went on).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Whether QEMU has connected.</summary>
    public bool Connected => Volatile.Read(ref _guest) is not null;

    /// <summary>
    /// Serves the guest until QEMU closes the socket or <paramref name="stop"/> is cancelled. Runs on
    /// the calling thread, which becomes the only one that fires the clock's events.
    /// </summary>
    public void Run(CancellationToken stop)
    {
        using var events = Clock.Clock.FireEventsOnCurrentThread();
        while (!_listener.Poll(TimeSpan.FromMilliseconds(20), SelectMode.SelectRead))
        {
            if (stop.IsCancellationRequested) return;
        }

        var guest = _listener.Accept();
        Volatile.Write(ref _guest, guest);
        // _served stays 0 (Attach cleared the page): a request the monitor made before the accept returned
        // is still pending in the mailbox, and its 'Q' waits in the socket.
        var buffer = new byte[64];
        while (!stop.IsCancellationRequested)
        {
            Clock.Pump();
            if (!guest.Poll(Clock.NextWait, SelectMode.SelectRead)) continue;
            int n;
            try
            {
                n = guest.Receive(buffer);
            }
            catch (SocketException)
            {
                return;
            }

            if (n == 0) return;
            ServePending(guest);
        }
    }

    public bool Raise(int spi)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spi);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spi, 987);
        var guest = Volatile.Read(ref _guest);
        if (guest is null) return false;
        lock (_send)
        {
            var before = _mailbox.IrqCount;
            _mailbox.RequestInterrupt((uint)(32 + spi));
            if (!TrySend(guest, Doorbell.Interrupt)) return false;
            var wait = System.Diagnostics.Stopwatch.StartNew();
            var spin = new SpinWait();
            while (_mailbox.IrqCount == before)
            {
                if (wait.Elapsed > InterruptTimeout) return false;
                spin.SpinOnce();
            }

            return true;
        }
    }

    public void Dispose()
    {
        Volatile.Read(ref _guest)?.Dispose();
        _listener.Dispose();
        File.Delete(SocketPath);
    }

    private void ServePending(Socket guest)
    {
        while (_mailbox.RequestSequence is var sequence && sequence != _served)
        {
            var request = _mailbox.ReadRequest(sequence);
            Clock.Pump();
            var result = Handle(request);
            var x6 = result.Status == ScmStatus.Interrupted ? result.X6 : request.X6;
            lock (_send)
            {
                _mailbox.WriteResponse(sequence, result, x6);
                TrySend(guest, Doorbell.Response);
            }

            _served = sequence;
            Interlocked.Increment(ref _calls);
        }
    }

    private SmcResult Handle(in MailboxRequest request)
    {
        if ((uint)request.X0 == PingFunctionId) return new SmcResult(0, request.X1);
        try
        {
            return _conduit.Smc(request.ToSmcCall());
        }
#pragma warning disable CA1031 // a model bug must not hang the guest: it gets -1, the run reports the bug
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failure ??= e;
            return SmcResult.FromStatus(ScmStatus.Error);
        }
    }

    private static bool TrySend(Socket guest, byte b)
    {
        try
        {
            return guest.Send([b]) == 1;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}

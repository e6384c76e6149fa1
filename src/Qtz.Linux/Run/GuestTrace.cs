using System.Globalization;
using Qtz.Soc;
using Qtz.Soc.Nor;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Nor.StorageWire;
using Qtz.Soc.Smc;

namespace Qtz.Linux.Run;

/// <summary>One storage call (svc 0x1A) as TrustZone saw it: the command and details structures read from guest RAM.</summary>
public sealed record StorageTraceCall(StorageCommandId Command, ulong Lba, ulong Length, ulong CommandAddress, ulong DataAddress, long Status, ulong StorageResult)
{
    /// <summary>Bytes between the command structure and the data: the header the caller allocated before its data (72 for the posted driver).</summary>
    public long HeaderBytes => (long)(DataAddress - CommandAddress);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"storage {Command.ToString().ToUpperInvariant()} lba={Lba} len=0x{Length:x} cmd@0x{CommandAddress:x} data@0x{DataAddress:x} (header {HeaderBytes} B, payload 0x{(ulong)HeaderBytes + Length:x} B) -> x0={Status} result={StorageResult}");
}

/// <summary>
/// The decoded SCM trace of a run: every SMC that reached qtz's conduit, one line each (the conduit's
/// own decoding: caller EL, call name, typed arguments, status, results), with storage calls'
/// structures decoded from guest RAM — while the guest still waits for the answer, so they are the
/// bytes the call carried. Kept in memory (<see cref="StorageCalls"/>) and written to a file when asked.
/// </summary>
public sealed class GuestTrace : IDisposable
{
    private readonly SystemBus _bus;
    private readonly TextWriter? _file;
    private readonly List<StorageTraceCall> _storage = [];
    private readonly Lock _gate = new();

    public GuestTrace(SmcConduit conduit, SystemBus bus, string? path)
    {
        ArgumentNullException.ThrowIfNull(conduit);
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
        if (path is not null) _file = new StreamWriter(path, append: false);
        conduit.Traced += Record;
    }

    public IReadOnlyList<StorageTraceCall> StorageCalls
    {
        get { lock (_gate) return [.. _storage]; }
    }

    public long Calls { get; private set; }

    public void Dispose() => _file?.Dispose();

    private void Record(SmcTraceEvent e)
    {
        lock (_gate)
        {
            Calls++;
            var line = e.ToString();
            if (e.FunctionId is { IsScm: true, Service: StorageCall.Service, Command: StorageCall.Command } && Decode(e) is { } call)
            {
                _storage.Add(call);
                line += " | " + call;
            }

            _file?.WriteLine(line);
        }
    }

    private StorageTraceCall? Decode(SmcTraceEvent e)
    {
        Span<byte> command = stackalloc byte[StorageCommand.Size];
        Span<byte> details = stackalloc byte[StorageCommandDetails.Size];
        if (!Peek(e.Call.X2, command) || !Peek(e.Call.X4, details)) return null;
        var c = StorageCommand.Parse(command);
        var d = StorageCommandDetails.Parse(details);
        return new StorageTraceCall(c.CommandId, d.Lba, d.Length, e.Call.X2, d.DataPtr, e.Status, e.Result.X1);
    }

    private bool Peek(ulong address, Span<byte> destination)
    {
        var window = _bus.Decode(new PhysAddr(address));
        if (window?.Memory is not { } memory || !window.Range.Contains(new PhysAddr(address), (ulong)destination.Length)) return false;
        memory.Read(address - window.Range.Base.Value, destination);
        return true;
    }
}

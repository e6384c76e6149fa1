using Qtz.Platform.Boards;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.Smc;

namespace Qtz.Fuzzing.Invariants;

/// <summary>
/// A bus analyser on a board while non-secure calls run. It sees every transaction the bus
/// admits and records two kinds of violation:
/// <list type="bullet">
/// <item><b>bridge bypass</b>: once SHM bridges are enabled, the secure world read or wrote memory the
/// non-secure world can reach (HLOS may read it) outside every live bridge. The one exception is the
/// spec's: under a hypervisor (caller below EL2) PAS INIT_IMAGE reads its metadata from plain DMA memory
/// that no bridge touches (spec/scm-pas.md §2.2), so inside that call such a read is allowed and a read
/// that half-overlaps a bridge is not.</item>
/// <item><b>DSP access outside its mappings</b>: a DSP's transaction (after SMMU translation) reached
/// physical memory outside its carveout and its device-memory ranges.</item>
/// </list>
/// It also counts what could change the board (admitted writes by anyone, protection changes), so a
/// caller can tell a call that left the board as it was. Attach with <see cref="Watch"/>; dispose to detach.
/// </summary>
public sealed class SecureAccessMonitor : IBusObserver, IDisposable
{
    public const string NoBridgeBypass = "no-bridge-bypass";
    public const string NoDspAccessOutsideMappings = "no-dsp-access-outside-mappings";
    private const ulong Page = 0x1000;
    private readonly Board _board;
    private readonly List<InvariantViolation> _violations = [];
    private SmcCall? _call;

    private SecureAccessMonitor(Board board)
    {
        _board = board;
        board.Bus.Observer = this;
        board.Bus.Protection.Changed += OnProtectionChanged;
    }

    /// <summary>Admitted writes (any master) since the monitor was attached.</summary>
    public long Writes { get; private set; }

    /// <summary>Protection-unit changes (regions set or removed) since the monitor was attached.</summary>
    public long ProtectionChanges { get; private set; }

    /// <summary>Violations recorded since the last <see cref="TakeViolations"/>.</summary>
    public IReadOnlyList<InvariantViolation> Violations => _violations;

    public static SecureAccessMonitor Watch(Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        if (board.Bus.Observer is not null) throw new InvalidOperationException("the board's bus already has an observer");
        return new SecureAccessMonitor(board);
    }

    /// <summary>Names the non-secure call about to run (for the INIT_IMAGE exception and for messages).</summary>
    public void BeginCall(in SmcCall call) => _call = call;

    public void EndCall() => _call = null;

    /// <summary>The violations so far, and forgets them.</summary>
    public InvariantViolation[] TakeViolations()
    {
        var taken = _violations.ToArray();
        _violations.Clear();
        return taken;
    }

    public void Admitted(BusMaster master, PhysAddr address, ulong length, AccessKind kind, BusWindow window)
    {
        if (kind == AccessKind.Write) Writes++;
        if (window is null || !window.IsRam) return;
        if (master.Kind == MasterKind.Secure) CheckSecureAccess(address, length, kind);
        else if (master.Kind == MasterKind.Device) CheckDeviceAccess(master, address, length, kind);
    }

    public void Dispose()
    {
        if (ReferenceEquals(_board.Bus.Observer, this)) _board.Bus.Observer = null;
        _board.Bus.Protection.Changed -= OnProtectionChanged;
    }

    private void OnProtectionChanged(ProtectionChange change) => ProtectionChanges++;

    private void CheckSecureAccess(PhysAddr address, ulong length, AccessKind kind)
    {
        var bridges = _board.World.Bridges;
        if (!bridges.Enabled) return;
        var range = new PhysRange(address, length);
        if (bridges.FindContaining(range) is not null) return;
        if (IsUnbridgedMetadataRead(kind) && !bridges.AnyOverlaps(range)) return;
        for (var at = address.Value; at - address.Value < length;)
        {
            var chunk = Math.Min(length - (at - address.Value), Page - (at % Page));
            var piece = new PhysRange(new PhysAddr(at), chunk);
            if (_board.Bus.Protection.FindDenying(_board.KernelCpu, piece.Base, chunk, AccessKind.Read) is null && bridges.FindContaining(piece) is null)
            {
                _violations.Add(new(NoBridgeBypass, $"the secure world {Verb(kind)} non-secure memory {piece} outside every SHM bridge{During()}"));
                return;
            }

            at += chunk;
        }
    }

    /// <summary>spec §2.2: below EL2, INIT_IMAGE's metadata must be plain DMA memory (and PAS refuses a bridged one).</summary>
    private bool IsUnbridgedMetadataRead(AccessKind kind) =>
        kind == AccessKind.Read && _call is { } call && call.CallerEl < 2
        && call.FunctionId is { IsScm: true, Service: ScmCatalog.Pil, Command: PasService.InitImageCommand };

    private void CheckDeviceAccess(BusMaster master, PhysAddr address, ulong length, AccessKind kind)
    {
        var peripheral = _board.Peripherals.FirstOrDefault(p => ((master.Stream ^ p.StreamId) & ~p.StreamMask) == 0);
        var range = new PhysRange(address, length);
        if (peripheral is not null && DspAllowedMemory.Contains(peripheral, range)) return;
        var who = peripheral?.Name ?? $"stream 0x{master.Stream:x}";
        _violations.Add(new(NoDspAccessOutsideMappings, $"{who} {Verb(kind)} {range}, outside its carveout and device memory{During()}"));
    }

    private string During() => _call is { } call ? $" during {ScmCatalog.CallName(call.FunctionId)} from EL{call.CallerEl}" : "";

    private static string Verb(AccessKind kind) => kind switch
    {
        AccessKind.Write => "wrote",
        AccessKind.Execute => "fetched from",
        _ => "read",
    };
}

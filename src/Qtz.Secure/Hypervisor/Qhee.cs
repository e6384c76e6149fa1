using Qtz.Soc;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Protection;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;
using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Secure.Hypervisor;

/// <summary>
/// Qualcomm's hypervisor at EL2, as far as remote processors go (spec §2.3: "Gunyah bridges the carveout,
/// calls TZ, then programs the stage-2/IOMMU for the DSP"). It traps PAS AUTH_AND_RESET and SHUTDOWN from
/// EL1. AUTH_AND_RESET: program the DSP's SMMU stream (its own context bank and page tables, identity map
/// of carveout + device memory), create an SHM bridge over the carveout as the hypervisor, forward the call
/// to TZ as itself, delete the bridge; if TZ refused, undo the stream. The stream is programmed BEFORE
/// forwarding because the modelled core probes memory the instant TZ releases it; while TZ has not
/// released the core the mapping is unused, so this is equivalent to mapping right after (qtz decision).
/// An AUTH_AND_RESET for a stream that is already active (its DSP runs) is forwarded untouched.
/// SHUTDOWN: forward, then tear the stream down if TZ carried it out. Its bank's register page is protected from everyone but
/// the hypervisor while in use, and its page-table RAM from HLOS writes (the SMMU walker, which carries
/// the HLOS VMID, may read it, so EL1 can read but never change it).
/// </summary>
public sealed class Qhee : IHypervisorSmcTrap
{
    private const ulong PermRw = 0x6;
    private const ulong OneNonSecureVm = 1UL << 9;
    private readonly SystemBus _bus;
    private readonly QheeOptions _options;
    private readonly Lock _gate = new();
    private readonly PasPeripheral[] _peripherals;
    private readonly Dictionary<uint, QheeStream> _streams = [];
    private readonly Dictionary<uint, PasPeripheral> _images = [];
    private readonly HypPagePool _pool;
    private int _liveBridges;

    public Qhee(SystemBus bus, QheeOptions options, IEnumerable<PasPeripheral> peripherals)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(peripherals);
        if (options.InputAddressBits is < 25 or > 48)
            throw new ArgumentOutOfRangeException(nameof(options), $"input address size {options.InputAddressBits} bits: expected 25..48");
        if (options.PageTableRam.Size < 4096 || !options.PageTableRam.Base.IsAligned(4096) || options.PageTableRam.Size % 4096 != 0)
            throw new ArgumentException($"page-table RAM {options.PageTableRam} must be whole 4 KiB pages", nameof(options));
        _bus = bus;
        _options = options;
        var all = peripherals.ToArray();
        // Images without a core of their own (DTB images) have no stream: their DSP reads them through its own.
        _peripherals = [.. all.Where(p => p.Core is not null && options.ProgramStreams).OrderBy(p => p.PasId)];
        foreach (var p in all.Where(p => p.Core is null || !options.ProgramStreams)) _images[p.PasId] = p;
        var limit = 1UL << options.InputAddressBits;
        foreach (var p in _peripherals)
        {
            if (p.Carveout.Last.Value >= limit || p.DeviceMemory.Any(d => d.DeviceAddress.Value >= limit || d.Length > limit - d.DeviceAddress.Value))
                throw new ArgumentException($"{p.Name}: carveout or device memory lies above the {options.InputAddressBits}-bit input range", nameof(peripherals));
        }

        _pool = new HypPagePool(bus, options.PageTableRam);
    }

    /// <summary>The protection region over QHEE's page-table RAM.</summary>
    public const string PageTableRegion = "qhee:page-tables";

    /// <summary>Raised for each bridge, forward, stream program and teardown.</summary>
    public event Action<QheeEvent>? Traced;

    /// <summary>DSP streams currently translated by a QHEE context bank.</summary>
    public int ActiveStreams
    {
        get { lock (_gate) return _streams.Values.Count(s => s.Active); }
    }

    /// <summary>SHM bridges QHEE created and has not deleted (0 outside a trapped call).</summary>
    public int LiveBridges => Volatile.Read(ref _liveBridges);

    public int PageTablePagesInUse
    {
        get { lock (_gate) return _pool.InUse; }
    }

    /// <summary>The context bank QHEE uses for <paramref name="pasId"/>, or null (not installed / unknown).</summary>
    public int? ContextBankOf(uint pasId)
    {
        lock (_gate) return _streams.TryGetValue(pasId, out var s) ? s.ContextBank : null;
    }

    /// <summary>The register page of that bank (protected while the stream is active).</summary>
    public PhysRange? ContextBankRegistersOf(uint pasId)
    {
        lock (_gate) return _streams.TryGetValue(pasId, out var s) ? s.BankRegisters : null;
    }

    /// <summary>What QHEE mapped for <paramref name="pasId"/> (empty when not running).</summary>
    public IReadOnlyList<(Iova Iova, PhysAddr Physical, ulong Length)> MappingsOf(uint pasId)
    {
        lock (_gate) return _streams.TryGetValue(pasId, out var s) ? s.Mappings : [];
    }

    /// <summary>
    /// Takes the hypervisor seat: reads the SMMU's geometry (ID0/ID1) as the hypervisor, assigns each
    /// peripheral a stream-match entry and context bank from the top, protects the page-table RAM and
    /// sets itself as the conduit's trap.
    /// </summary>
    public void Install(SmcConduit conduit)
    {
        ArgumentNullException.ThrowIfNull(conduit);
        if (_bus.ReadUInt32(BusMaster.Hyp, _options.SmmuBase + Id0, out var id0) != BusStatus.Ok
            || _bus.ReadUInt32(BusMaster.Hyp, _options.SmmuBase + Id1, out var id1) != BusStatus.Ok)
            throw new InvalidOperationException($"no SMMU answers at {_options.SmmuBase}");
        var groups = (int)(id0 & 0xFF);
        var banks = (int)(id1 & 0xFF);
        var globalPages = 1 << (int)(((id1 >> 28) & 7) + 1);
        if (_peripherals.Length > Math.Min(groups, banks))
            throw new InvalidOperationException($"the SMMU has {groups} stream-match groups and {banks} context banks; QHEE needs {_peripherals.Length}");
        lock (_gate)
        {
            for (var k = 0; k < _peripherals.Length; k++)
                _streams[_peripherals[k].PasId] = new QheeStream(_bus, _options.SmmuBase, _peripherals[k], groups - 1 - k, banks - 1 - k, globalPages);
        }

        var region = new ProtectionRegion(PageTableRegion, _options.PageTableRam,
            new Dictionary<Vmid, AccessPermissions> { [Vmid.Hyp] = AccessPermissions.ReadWrite, [Vmid.Hlos] = AccessPermissions.Read });
        _bus.Protection.Set(BusMaster.Hyp, region);
        conduit.HypervisorTrap = this;
    }

    public bool Traps(in SmcCall call)
    {
        var id = call.FunctionId;
        return id.IsScm && id.Service == ScmCatalog.Pil && id.Command is PasService.AuthAndResetCommand or PasService.ShutdownCommand;
    }

    public SmcResult Trap(in SmcCall call, SmcConduit conduit)
    {
        ArgumentNullException.ThrowIfNull(conduit);
        var pasId = (uint)call.X2;
        QheeStream? stream;
        lock (_gate) _streams.TryGetValue(pasId, out stream);
        var forward = call with { Caller = BusMaster.Hyp };
        if (stream is null)
        {
            if (call.FunctionId.Command != PasService.AuthAndResetCommand || !_images.TryGetValue(pasId, out var image)) return conduit.Smc(forward);
            var bridge = CreateBridge(conduit, image);
            var answer = conduit.Smc(forward);
            if (bridge is { } b) DeleteBridge(conduit, pasId, b);
            Trace(pasId, $"no stream to program: bridged and forwarded, TZ answered AUTH_AND_RESET x0={answer.Status} x1={answer.X1}");
            return answer;
        }

        return call.FunctionId.Command == PasService.AuthAndResetCommand ? AuthAndReset(forward, conduit, stream) : Shutdown(forward, conduit, stream);
    }

    private SmcResult AuthAndReset(in SmcCall forward, SmcConduit conduit, QheeStream stream)
    {
        var pasId = stream.Peripheral.PasId;
        bool running;
        lock (_gate) running = stream.Active;
        if (running)
        {
            // The DSP runs on this stream: TZ refuses a second AUTH_AND_RESET (WRONG_STATE), and that refusal
            // must not cost the running DSP its translations. Found by `qtz fuzz smc` (seed 1): tearing the
            // stream down left it unmatched, so the SMMU bypassed it and the running DSP reached all memory.
            var answer = conduit.Smc(forward);
            Trace(pasId, $"stream already active: forwarded untouched, TZ answered AUTH_AND_RESET x0={answer.Status} x1={answer.X1}");
            return answer;
        }

        lock (_gate)
        {
            stream.TearDown();
            if (!stream.Program(_pool, _options.InputAddressBits))
            {
                Trace(pasId, "out of page-table pages: refusing AUTH_AND_RESET");
                return SmcResult.FromStatus(ScmStatus.NoMemory);
            }

            _bus.Protection.Set(BusMaster.Hyp, ProtectionRegion.Exclusive(stream.RegionName, stream.BankRegisters, AccessPermissions.ReadWrite, Vmid.Hyp));
        }

        Trace(pasId, $"context bank {stream.ContextBank} programmed for sid 0x{stream.Peripheral.StreamId:x}: {stream.Mappings.Count} identity ranges, {stream.TablePages} table pages");
        var handle = CreateBridge(conduit, stream.Peripheral);
        var result = conduit.Smc(forward);
        if (handle is { } h) DeleteBridge(conduit, pasId, h);
        var ok = result.Status == ScmStatus.Success && result.X1 == 0;
        Trace(pasId, $"TZ answered AUTH_AND_RESET x0={result.Status} x1={result.X1}");
        if (!ok) Release(stream, "TZ refused: stream torn down");
        return result;
    }

    private SmcResult Shutdown(in SmcCall forward, SmcConduit conduit, QheeStream stream)
    {
        var result = conduit.Smc(forward);
        // Only a SHUTDOWN TZ carried out stops the DSP. Found by `qtz fuzz smc` (seed 1): a refused one
        // (a malformed arginfo, say) also tore the stream down, leaving the running DSP's stream bypassed.
        if (result.Status == ScmStatus.Success && result.X1 == 0) Release(stream, "SHUTDOWN: stream torn down");
        else Trace(stream.Peripheral.PasId, $"TZ refused SHUTDOWN (x0={result.Status} x1={result.X1}): stream kept");
        return result;
    }

    private void Release(QheeStream stream, string why)
    {
        lock (_gate)
        {
            if (!stream.Active) return;
            stream.TearDown();
            _bus.Protection.Remove(BusMaster.Hyp, stream.RegionName);
        }

        Trace(stream.Peripheral.PasId, why);
    }

    private ulong? CreateBridge(SmcConduit conduit, PasPeripheral p)
    {
        var range = p.Carveout;
        var r = conduit.Smc(new SmcCall(BusMaster.Hyp, ScmCatalog.Find(ScmCatalog.Mp, ScmCatalog.MpShmBridgeCreate)!.FunctionId().Value, ArgInfo.Values(4).Value,
            range.Base.Value | PermRw, range.Base.Value | PermRw, range.Size | OneNonSecureVm, Vmid.Hlos.Value));
        if (r.Status != ScmStatus.Success || r.X1 != 0)
        {
            Trace(p.PasId, $"SHM bridge over {range} refused (x0={r.Status} x1={r.X1}); forwarding anyway");
            return null;
        }

        Interlocked.Increment(ref _liveBridges);
        Trace(p.PasId, $"SHM bridge {r.X2} created over {range}");
        return r.X2;
    }

    private void DeleteBridge(SmcConduit conduit, uint pasId, ulong handle)
    {
        conduit.Smc(new SmcCall(BusMaster.Hyp, ScmCatalog.Find(ScmCatalog.Mp, ScmCatalog.MpShmBridgeDelete)!.FunctionId().Value, ArgInfo.Values(1).Value, handle));
        Interlocked.Decrement(ref _liveBridges);
        Trace(pasId, $"SHM bridge {handle} deleted");
    }

    private void Trace(uint pasId, string what) => Traced?.Invoke(new QheeEvent(_bus.Clock.Now, pasId, what));
}

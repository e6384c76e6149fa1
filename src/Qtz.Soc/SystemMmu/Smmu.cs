using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Signals;

using static Qtz.Soc.SystemMmu.SmmuRegisters;

namespace Qtz.Soc.SystemMmu;

/// <summary>
/// An ARM SMMU-500 (SMMUv2) subset: stream matching (SMR/S2CR), stage-1 context banks with an LPAE
/// walker over simulated memory, a TLB, and fault latching with interrupts. Software programs it only
/// through its MMIO registers (it is an <see cref="IMmioDevice"/> on the bus), so which master may
/// program which bank is the protection unit's business. Devices reach memory through
/// <see cref="Access"/> (or a <see cref="SmmuStreamPort"/>). This file holds construction and the
/// register map; translation lives in Smmu.Translate.cs.
/// </summary>
public sealed partial class Smmu : IMmioDevice
{
    private const ushort StreamIdMask = 0x7FFF; // ID0.NUMSIDB = 15
    private readonly Lock _gate = new();
    private readonly SystemBus _bus;
    private readonly SmmuOptions _options;
    private readonly ContextBank[] _banks;
    private readonly uint[] _smr;
    private readonly uint[] _s2cr;
    private const int RouteBlockShift = 8;
    // Route cache by stream ID in blocks of 256, allocated when a stream in the block is first routed
    // (a flat 32768-entry array was a 256 KiB large object per SMMU, and clearing it a 256 KiB memset).
    private readonly StreamRoute?[]?[] _routes = new StreamRoute?[]?[(StreamIdMask >> RouteBlockShift) + 1];
    private readonly List<ushort> _routed = []; // the stream IDs with a cached route, so invalidation clears only those
    private readonly IrqLine[] _contextInterrupts;
    private uint _scr0;
    private uint _sgfsr, _sgfsynr0, _sgfsynr1;
    private ulong _sgfar;

    public Smmu(SystemBus bus, string name, SmmuOptions? options = null, InterruptController? interrupts = null)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _bus = bus;
        Name = name;
        _options = options ?? new SmmuOptions();
        _options.Validate();
        _banks = [.. Enumerable.Range(0, _options.ContextBanks).Select(i => new ContextBank(i, _options.TlbPageEntries))];
        _smr = new uint[_options.StreamMatchGroups];
        _s2cr = new uint[_options.StreamMatchGroups];
        IrqLine Line(string suffix) => interrupts?.Line($"{name}:{suffix}") ?? new IrqLine($"{name}:{suffix}");
        _contextInterrupts = [.. Enumerable.Range(0, _options.ContextBanks).Select(i => Line($"cb{i}"))];
        GlobalInterrupt = Line("global");
        _scr0 = _options.ClientBypassAtReset ? SCr0ClientPd : 0;
    }

    /// <summary>Creates an SMMU and maps its registers on the bus at <paramref name="base"/>.</summary>
    public static Smmu AddTo(SystemBus bus, string name, PhysAddr @base, SmmuOptions? options = null, InterruptController? interrupts = null)
    {
        var smmu = new Smmu(bus, name, options, interrupts);
        bus.AddMmio(name, @base, smmu.WindowSize, smmu);
        return smmu;
    }

    public string Name { get; }

    public SmmuOptions Options => _options;

    /// <summary>Bytes of register space to map on the bus.</summary>
    public ulong WindowSize => _options.WindowSize;

    /// <summary>The context-fault interrupt with index n (CBAR.IRPTNDX selects which one a bank raises).</summary>
    public IReadOnlyList<IrqLine> ContextInterrupts => _contextInterrupts;

    /// <summary>The global (stream) fault interrupt, raised when sCR0.GFIE is set.</summary>
    public IrqLine GlobalInterrupt { get; }

    /// <summary>Every fault the SMMU records (context and global), for traces.</summary>
    public event Action<SmmuFault>? Faulted;

    /// <summary>Number of TLB entries currently held by a context bank (for tests and reports).</summary>
    public int TlbEntries(int contextBank)
    {
        lock (_gate) return _banks[contextBank].Tlb.Count;
    }

    public BusStatus Read(BusMaster master, ulong offset, int width, out ulong value)
    {
        value = 0;
        if (width is not (4 or 8)) return BusStatus.DecodeError;
        var page = (int)(offset / PageSize);
        var reg = (int)(offset % PageSize);
        lock (_gate)
        {
            if (page == 0) value = ReadGlobal0(reg);
            else if (page == 1) value = ReadGlobal1(reg);
            else if (BankAtPage(page) is { } bank) value = bank.Read(reg);
        }

        if (width == 4) value = (uint)value;
        return BusStatus.Ok;
    }

    public BusStatus Write(BusMaster master, ulong offset, int width, ulong value)
    {
        if (width is not (4 or 8)) return BusStatus.DecodeError;
        var page = (int)(offset / PageSize);
        var reg = (int)(offset % PageSize);
        IrqLine? lower = null;
        lock (_gate)
        {
            if (page == 0) lower = WriteGlobal0(reg, value);
            else if (page == 1) WriteGlobal1(reg, (uint)value);
            else if (BankAtPage(page) is { } bank)
            {
                var effect = bank.Write(reg, width, value);
                if (effect == BankWriteEffect.ConfigChanged) InvalidateRoutes();
                else if (effect == BankWriteEffect.FaultCleared && !bank.HasFault) lower = ContextLine(bank);
            }
        }

        lower?.Lower();
        return BusStatus.Ok;
    }

    private ContextBank? BankAtPage(int page)
    {
        var n = page - _options.GlobalPages;
        return n >= 0 && n < _banks.Length ? _banks[n] : null;
    }

    private IrqLine ContextLine(ContextBank bank) => _contextInterrupts[Math.Min(bank.InterruptIndex, _contextInterrupts.Length - 1)];

    private ulong ReadGlobal0(int reg) => reg switch
    {
        SCr0 => _scr0,
        Id0 => (uint)_options.StreamMatchGroups | 15u << 9 | 1u << 14 | (uint)_options.ContextBanks << 16 | 1u << 27 | 1u << 30,
        Id1 => (uint)_options.ContextBanks | (uint)(System.Numerics.BitOperations.Log2((uint)_options.GlobalPages) - 1) << 28,
        Id2 => EncodeAddressBits(_options.OutputAddressBits) | EncodeAddressBits(_options.OutputAddressBits) << 4
               | EncodeAddressBits(_options.InputAddressBits) << 8 | 1u << 12,
        Id7 => 0x21,
        SGFar => _sgfar,
        SGFar + 4 => _sgfar >> 32,
        SGFsr => _sgfsr,
        SGFsynr0 => _sgfsynr0,
        SGFsynr1 => _sgfsynr1,
        >= SmrBase and < S2crBase when (reg - SmrBase) / 4 < _smr.Length => _smr[(reg - SmrBase) / 4],
        >= S2crBase when (reg - S2crBase) / 4 < _s2cr.Length => _s2cr[(reg - S2crBase) / 4],
        _ => 0, // sTLBGSTATUS included: global invalidation completes immediately
    };

    private IrqLine? WriteGlobal0(int reg, ulong value)
    {
        var v = (uint)value;
        switch (reg)
        {
            case SCr0: _scr0 = v; InvalidateRoutes(); break;
            case SGFsr:
                _sgfsr &= ~v;
                return _sgfsr == 0 ? GlobalInterrupt : null;
            case TlbiVmid:
                foreach (var bank in _banks.Where(b => b.Vmid == (byte)v)) bank.Tlb.InvalidateAll();
                break;
            case TlbiAllNsnh or TlbiAllH:
                foreach (var bank in _banks) bank.Tlb.InvalidateAll();
                break;
            case >= SmrBase and < S2crBase when (reg - SmrBase) / 4 < _smr.Length:
                _smr[(reg - SmrBase) / 4] = v;
                InvalidateRoutes();
                break;
            case >= S2crBase when (reg - S2crBase) / 4 < _s2cr.Length:
                _s2cr[(reg - S2crBase) / 4] = v;
                InvalidateRoutes();
                break;
            default: break; // sTLBGSYNC and RAZ/WI registers
        }

        return null;
    }

    private ulong ReadGlobal1(int reg)
    {
        var n = (reg & 0x3FF) / 4;
        if (n >= _banks.Length) return 0;
        return (reg & ~0x3FF) switch
        {
            CbarBase => _banks[n].Cbar,
            CbfrsynraBase => _banks[n].FaultingStream,
            Cba2rBase => _banks[n].Cba2r,
            _ => 0,
        };
    }

    private void WriteGlobal1(int reg, uint value)
    {
        var n = (reg & 0x3FF) / 4;
        if (n >= _banks.Length) return;
        switch (reg & ~0x3FF)
        {
            case CbarBase: _banks[n].Cbar = value; InvalidateRoutes(); break;
            case Cba2rBase: _banks[n].Cba2r = value; break;
            default: break;
        }
    }

    /// <summary>The cached route of <paramref name="sid"/>, computed on first use (call under the lock).</summary>
    private StreamRoute RouteOf(ushort sid)
    {
        if (CachedRoute(sid) is { } known) return known;
        var route = ComputeRoute(sid);
        var block = _routes[sid >> RouteBlockShift] ??= new StreamRoute?[1 << RouteBlockShift];
        Volatile.Write(ref block[sid & ((1 << RouteBlockShift) - 1)], route);
        _routed.Add(sid);
        return route;
    }

    /// <summary>The route cached for <paramref name="sid"/> (already masked), or null; safe without the lock.</summary>
    private StreamRoute? CachedRoute(int sid) =>
        Volatile.Read(ref _routes[sid >> RouteBlockShift]) is { } block ? Volatile.Read(ref block[sid & ((1 << RouteBlockShift) - 1)]) : null;

    /// <summary>
    /// Routing decisions depend on SMR/S2CR/sCR0/CBAR/SCTLR/TCR/TTBR: forget them when any changes. Only
    /// the routes actually cached are cleared (clearing all 32768 slots on every register write made
    /// programming a stream cost a 256 KiB memset per write).
    /// </summary>
    private void InvalidateRoutes()
    {
        foreach (var sid in _routed) _routes[sid >> RouteBlockShift]![sid & ((1 << RouteBlockShift) - 1)] = null;
        _routed.Clear();
    }
}

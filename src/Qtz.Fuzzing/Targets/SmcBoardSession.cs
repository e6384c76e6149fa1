using Qtz.Platform.FirmwareLoader;
using Qtz.Firmware.Verification;
using Qtz.Platform.Boards;
using Qtz.Fuzzing.Invariants;
using Qtz.Soc;
using Qtz.Soc.Smc;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// One booted board the smc target fires calls at, and how it gets back to its booted state. A board is
/// built from prepared parts (firmware signed once, TrustZone's signature checks remembered), booted,
/// checked, and then reused for every input that leaves it unchanged. An input changed it when a call
/// succeeded (other than a pure query), the bus saw any write or the protection unit any change, or
/// <see cref="SmcBoardState"/> differs from the booted one; the board is then rebuilt before the next
/// input, outside its time budget. Every input therefore starts from the same booted state, as a
/// reproducer replayed on a fresh board does. A board is also rebuilt every <see cref="InputsPerBoard"/>
/// inputs so its trace does not grow without bound.
/// </summary>
internal sealed class SmcBoardSession(BoardOptions prepared, DefaultFirmwareCache firmware) : IDisposable
{
    public const int InputsPerBoard = 1000;
    private Board? _board;
    private SecureAccessMonitor? _monitor;
    private SmcBoardState? _booted;
    private SmcPlantedFirmware? _planted;
    private int _inputs;
    private bool _changed;
    private long _mappingsCheckedAtWrites = -1;

    public static SmcBoardSession Create(KernelMode mode, DefaultFirmwareCache firmware) =>
        new(new BoardOptions { Mode = mode, Dtb = firmware.Dtb, Firmware = firmware.Get(), SignatureCache = firmware.SignatureCache }, firmware);

    /// <summary>Boards built so far (the first boot included).</summary>
    public int Builds { get; private set; }

    public Board Board => _board ?? throw new InvalidOperationException("Ready() was not called");

    /// <summary>The metadata planted on every board and the kernel's segment loader.</summary>
    public SmcPlantedFirmware Planted => _planted ?? throw new InvalidOperationException("Ready() was not called");

    /// <summary>Makes sure a booted, unchanged board is there (outside the input's budget).</summary>
    public void Ready()
    {
        if (_board is not null) return;
        var board = Board.Build(prepared);
        var report = board.Boot();
        if (!report.AllRunning)
            throw new InvalidOperationException($"the {prepared.Mode} board did not boot all its DSPs: {string.Join("; ", report.Remoteprocs.Where(r => !r.Running).Select(r => $"{r.Name}: {r.Failure}"))}");
        _planted = firmware.Planted(board);
        _planted.Plant(board);
        _monitor = SecureAccessMonitor.Watch(board);
        _booted = SmcBoardState.Of(board);
        _board = board;
        _inputs = 0;
        _changed = false;
        _mappingsCheckedAtWrites = -1;
        Builds++;
        var dirty = Check();
        if (dirty.Count > 0) throw new InvalidOperationException($"the freshly booted {prepared.Mode} board already breaks {dirty[0]}");
    }

    /// <summary>Issues one call and returns every invariant it broke.</summary>
    public IReadOnlyList<InvariantViolation> Call(in SmcCall call)
    {
        var board = Board;
        var monitor = _monitor!;
        var bridgesWereOn = board.World.Bridges.Enabled;
        monitor.BeginCall(call);
        SmcResult result;
        try
        {
            result = board.Conduit.Smc(call);
        }
        finally
        {
            monitor.EndCall();
        }

        _changed |= result.X0 == 0 && result.X1 == 0 && !IsQuery(call.FunctionId, bridgesWereOn);
        Called?.Invoke(call, result);
        return Check();
    }

    /// <summary>The kernel copies DSP <paramref name="k"/>'s segments into its carveout; returns every invariant that broke.</summary>
    public IReadOnlyList<InvariantViolation> KernelLoad(int k)
    {
        Planted.Load(Board, k);
        return Check();
    }

    /// <summary>Lets <paramref name="pause"/> of virtual time pass (timers, DSP behaviour, Linux's crash handling); returns every invariant that broke.</summary>
    public IReadOnlyList<InvariantViolation> Advance(TimeSpan pause)
    {
        if (pause > TimeSpan.Zero) _changed = true; // the clock moved: the next input needs a board at the booted instant
        Board.Clock.Advance(pause);
        return Check();
    }

    /// <summary>After an input: drop the board when the input may have changed it.</summary>
    public void EndInput()
    {
        if (_board is null) return;
        _inputs++;
        var monitor = _monitor!;
        if (_changed || monitor.Writes != 0 || monitor.ProtectionChanges != 0 || _inputs >= InputsPerBoard || SmcBoardState.Of(_board) != _booted)
            Drop();
    }

    /// <summary>Every call and what it answered (tests compare a reused board with a fresh one).</summary>
    internal event Action<SmcCall, SmcResult>? Called;

    /// <summary>Forgets the board, so the next input gets a freshly booted one.</summary>
    internal void Discard() => Drop();

    public void Dispose() => Drop();

    private void Drop()
    {
        _monitor?.Dispose();
        _monitor = null;
        _board = null;
    }

    private List<InvariantViolation> Check()
    {
        var board = Board;
        var violations = new List<InvariantViolation>();
        violations.AddRange(BoardInvariants.Check(board).Select(v => new InvariantViolation("board-security-invariants", v)));
        violations.AddRange(_monitor!.TakeViolations());
        // The mappings are bytes in memory and SMMU registers: without a write since the last walk they are the same.
        if (_monitor.Writes != _mappingsCheckedAtWrites)
        {
            violations.AddRange(DspMappingInvariant.Check(board));
            _mappingsCheckedAtWrites = _monitor.Writes;
        }

        return violations;
    }

    // Pure questions: IS_CALL_AVAIL, PAS_IS_SUPPORTED, and SHM_BRIDGE_ENABLE when bridges already are (it only sets that flag).
    private static bool IsQuery(FunctionId id, bool bridgesWereOn) =>
        id.Service == ScmCatalog.Info
        || (id.Service == ScmCatalog.Pil && id.Command == 0x07)
        || (bridgesWereOn && id.Service == ScmCatalog.Mp && id.Command == ScmCatalog.MpShmBridgeEnable);
}

/// <summary>The default board's DTB and firmware, read and signed once per target, what is planted from it, and TrustZone's shared signature memo.</summary>
internal sealed class DefaultFirmwareCache(NamedBlob? dtb = null)
{
    private FirmwareSource? _firmware;
    private SmcPlantedFirmware? _planted;

    public SignatureCheckCache SignatureCache { get; } = new();

    /// <summary>The board's DTB (the embedded one unless given), read once (boards parse it, never change it).</summary>
    public NamedBlob Dtb { get; } = dtb ?? new(BoardDeviceTree.EmbeddedDtbName, BoardDeviceTree.EmbeddedDtb());

    public FirmwareSource Get() => _firmware ??= Board.Build(new BoardOptions { Dtb = Dtb }).Firmware;

    public SmcPlantedFirmware Planted(Board board) => _planted ??= new SmcPlantedFirmware(board);
}

using Qtz.Firmware.Images;
using Qtz.Firmware.ResourceTables;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// The remoteproc core (remoteproc_core.c semantics): power reference count, rproc_boot →
/// rproc_fw_boot (IOMMU domain, prepare, parse_fw, resource handling of the cached table, load, start),
/// rproc_shutdown, crash reporting and recovery. One operation at a time (rproc->lock); crash work
/// queued while an operation runs is handled after it, as the workqueue would be. Boot and shutdown
/// never throw for a refused boot: they return the errno and <see cref="LastError"/> says why.
/// </summary>
public sealed partial class Rproc
{
    private readonly IRprocOps _ops;
    private readonly List<RprocMapping> _rscMappings = [];
    private readonly List<RprocMapping> _driverMappings = [];
    private readonly List<RprocCrash> _crashes = [];
    private int _power;
    private bool _busy;

    public Rproc(RprocConfig config, IRprocOps ops)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(ops);
        if (config.HasIommu && config.Smmu is null)
            throw new ArgumentException($"{config.Name}: has_iommu needs the SMMU that serves its `iommus` stream", nameof(config));
        Config = config;
        _ops = ops;
        Name = config.Name;
        Firmware = config.Firmware;
        RecoveryEnabled = config.RecoveryEnabled;
    }

    public RprocConfig Config { get; }

    public string Name { get; }

    /// <summary>rproc->firmware (sysfs "firmware"); takes effect on the next boot.</summary>
    public string Firmware { get; set; }

    public RprocState State { get; private set; } = RprocState.Offline;

    /// <summary>sysfs "state" spelling.</summary>
    public string StateName => RprocNames.Of(State);

    public VirtualClock Clock => Config.Clock;

    public bool HasIommu => Config.HasIommu;

    /// <summary>rproc->domain: allocated and attached at boot, freed at shutdown; null without has_iommu.</summary>
    public IommuDomain? Domain { get; private set; }

    /// <summary>!rproc->recovery_disabled (sysfs "recovery" enabled/disabled).</summary>
    public bool RecoveryEnabled { get; set; }

    /// <summary>rproc->power: how many rproc_boot calls are outstanding.</summary>
    public int PowerCount => _power;

    public int CrashCount { get; private set; }

    public IReadOnlyList<RprocCrash> Crashes => _crashes;

    public RprocCrash? LastCrash => _crashes.Count == 0 ? null : _crashes[^1];

    /// <summary>The cause of the last failed boot, start, stop or recovery; cleared by a successful boot.</summary>
    public string? LastError { get; private set; }

    /// <summary>rproc->cached_table as parsed (the driver installs it in parse_fw); null when none.</summary>
    public ResourceTable? CachedTable { get; private set; }

    /// <summary>Every IOMMU mapping held: resource-table devmem (core) and the driver's carveout/devmem maps.</summary>
    public IReadOnlyList<RprocMapping> Mappings => [.. _rscMappings, .. _driverMappings];

    /// <summary>Registered coredump segments (rproc_coredump_add_segment), refreshed at every parse_fw.</summary>
    public List<RprocDumpSegment> DumpSegments { get; } = [];

    /// <summary>
    /// Called by recovery after the stop and its own coredump (<see cref="CoredumpMode"/>), before the
    /// reload: a test's or tool's look at the stopped processor (<see cref="ReadDeviceMemory"/> works).
    /// </summary>
    public Action<Rproc>? CoredumpHook { get; set; }

    /// <summary>Virtual time at which the last boot reached running.</summary>
    public VirtualTime? RunningSince { get; private set; }

    public event Action<RprocEvent>? Event;

    /// <summary>rproc_add: registers the remote processor and, with auto_boot, boots it.</summary>
    public Errno Add() => Config.AutoBoot ? Boot() : Errno.None;

    /// <summary>rproc_del: shuts down an auto-booted processor, then the handle is dead.</summary>
    public void Delete()
    {
        if (State is RprocState.Running && Config.AutoBoot) Shutdown();
        SetState(RprocState.Deleted);
    }

    /// <summary>rproc_boot: takes a power reference; the first one loads and starts the processor.</summary>
    public Errno Boot()
    {
        if (State == RprocState.Deleted) return Fail(Errno.ENODEV, "can't boot: the remoteproc was deleted");
        if (_busy) return Fail(Errno.EBUSY, "can't boot: another operation is in progress");
        _busy = true;
        try
        {
            if (++_power > 1)
            {
                Emit(RprocEventKind.Log, "already powered up (power " + _power + ")");
                return Errno.None;
            }

            Emit(RprocEventKind.Step, $"powering up {Name}");
            if (State == RprocState.Detached && TryAttach() is { } attached)
            {
                if (attached != Errno.None) _power--;
                else LastError = null;
                return attached;
            }

            var fw = TryRequestFirmware(out var error);
            var ret = fw is null ? error : FwBoot(fw);
            fw?.Dispose();
            if (ret != Errno.None) _power--;
            else LastError = null;
            return ret;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>rproc_shutdown: drops a power reference; the last one stops the processor and frees everything.</summary>
    public Errno Shutdown()
    {
        if (_busy) return Fail(Errno.EBUSY, "can't shut down: another operation is in progress");
        if (State is not (RprocState.Running or RprocState.Attached))
            return Fail(Errno.EINVAL, $"can't shut down: the remoteproc is {StateName} (Linux only stops a running one; use recovery for a crashed one)");
        _busy = true;
        try
        {
            if (--_power > 0) return Errno.None;
            var ret = StopProcessor(crashed: false);
            if (ret != Errno.None)
            {
                _power++;
                return ret;
            }

            CleanupResources();
            Unprepare();
            DisableIommu();
            return Errno.None;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>da_to_va for coredumps and debugging.</summary>
    public bool ReadDeviceMemory(ulong deviceAddress, Span<byte> destination) => _ops.ReadDeviceMemory(deviceAddress, destination);

    /// <summary>parse_fw's way to install the table (replaces cached_table/table_ptr/table_sz).</summary>
    public void SetCachedTable(ResourceTable? table) => CachedTable = table;

    /// <summary>Drivers record mappings they make themselves (carveout, seed devmem) so tables and leak checks see them.</summary>
    public void TrackMapping(RprocMapping mapping) => _driverMappings.Add(mapping);

    public void UntrackMapping(RprocMapping mapping) => _driverMappings.Remove(mapping);

    /// <summary>A step of the driver's sequence, for the trace.</summary>
    public void Trace(string message) => Emit(RprocEventKind.Step, message);

    private Errno FwBoot(FirmwareImage fw)
    {
        Emit(RprocEventKind.Log, $"Booting fw image {Firmware}, size {fw.Main.Length}");
        var ret = EnableIommu();
        if (ret != Errno.None) return ret;
        try
        {
            _ops.Prepare(this);
        }
        catch (RprocException e)
        {
            DisableIommu();
            return Fail(e.Errno, e.Message);
        }

        try
        {
            _ops.ParseFirmware(this, fw);
            HandleResources();
            StartProcessor(fw);
            return Errno.None;
        }
        catch (RprocException e)
        {
            CleanupResources();
            CachedTable = null;
            Unprepare();
            DisableIommu();
            return Fail(e.Errno, e.Message);
        }
    }

    /// <summary>rproc_start: ops->load, then ops->start, then RUNNING.</summary>
    private void StartProcessor(FirmwareImage fw)
    {
        _ops.Load(this, fw);
        _ops.Start(this);
        RunningSince = Clock.Now;
        SetState(RprocState.Running);
        Emit(RprocEventKind.Log, $"remote processor {Name} is now up");
    }

    /// <summary>rproc_stop: ops->stop, then OFFLINE.</summary>
    private Errno StopProcessor(bool crashed)
    {
        try
        {
            _ops.Stop(this);
        }
        catch (RprocException e)
        {
            return Fail(e.Errno, "can't stop rproc: " + e.Message);
        }

        SetState(RprocState.Offline);
        Emit(RprocEventKind.Log, $"stopped remote processor {Name}{(crashed ? " (crashed)" : "")}");
        return Errno.None;
    }

    private void Unprepare()
    {
        try
        {
            _ops.Unprepare(this);
        }
        catch (RprocException e)
        {
            Emit(RprocEventKind.Error, "unprepare failed: " + e.Message);
        }
    }

    private FirmwareImage? TryRequestFirmware(out Errno error)
    {
        error = Errno.None;
        try
        {
            return Config.RequestFirmware is { } request ? request(Firmware) : FirmwareImage.OpenFromSearchPath(Firmware, Config.FirmwareSearchPath);
        }
        catch (FileNotFoundException e)
        {
            error = Fail(Errno.ENOENT, $"request_firmware failed: {e.Message}");
        }
        catch (FormatException e)
        {
            error = Fail(Errno.EINVAL, $"firmware {Firmware} is malformed: {e.Message}");
        }
        catch (IOException e)
        {
            error = Fail(Errno.EIO, $"firmware {Firmware} could not be read: {e.Message}");
        }

        return null;
    }

    private void SetState(RprocState state)
    {
        if (State == state) return;
        State = state;
        Event?.Invoke(new RprocEvent(Clock.Now, Name, RprocEventKind.State, "state " + RprocNames.Of(state), state));
    }

    private Errno Fail(Errno errno, string cause)
    {
        LastError = cause;
        Emit(RprocEventKind.Error, cause);
        return errno;
    }

    private void Emit(RprocEventKind kind, string message, RprocCrashType? crash = null) =>
        Event?.Invoke(new RprocEvent(Clock.Now, Name, kind, message, State, crash));
}

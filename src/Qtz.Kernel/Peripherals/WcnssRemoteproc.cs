using Qtz.Kernel.Pas;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Firmware.Images;
using Qtz.Firmware.Mdt;
using Qtz.Firmware;
using Qtz.Kernel.Remoteproc;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc;

namespace Qtz.Kernel.Peripherals;

/// <summary>What qcom_wcnss's probe is given: the pronto/riva node, its carveout, the SMP2P/IRQ wiring and request_firmware.</summary>
public sealed record WcnssConfig
{
    public required DtNode Node { get; init; }

    public required string Name { get; init; }

    public required Scm Scm { get; init; }

    /// <summary>The generic PAS layer (qcom_pas) the driver's PAS calls go through.</summary>
    public required QcomPas Pas { get; init; }

    /// <summary>memory-region[0], resolved by the board (static or dynamically allocated).</summary>
    public required PhysRange Carveout { get; init; }

    public required Func<string, FirmwareImage> RequestFirmware { get; init; }

    /// <summary>fatal(0), ready(1), handover(2), stop-ack(3) from the core.</summary>
    public required Smp2pEntry FromDsp { get; init; }

    /// <summary>The "stop" smem-state Linux sets.</summary>
    public required Smp2pEntry ToDsp { get; init; }

    public required IrqLine Watchdog { get; init; }

    public required SharedMemory Smem { get; init; }

    public int StopBit { get; init; } = DspSignals.StopBit;

    public TimeSpan ReadyTimeout { get; init; } = WcnssRemoteproc.Timeout;

    public TimeSpan StopTimeout { get; init; } = WcnssRemoteproc.Timeout;

    public bool RecoveryEnabled { get; init; } = true;
}

/// <summary>
/// drivers/remoteproc/qcom_wcnss.c (spec/socs.md §5.4), a remoteproc of its own: probe needs IS_SUPPORTED(6)
/// (else -ENXIO); load = qcom_mdt_load(6) into memory-region[0]; start = regulators and the iris RF chip on,
/// NV-download bit, iris PMU/XO set-up, AUTH_AND_RESET(6), ready within 5 s (else SHUTDOWN(6), -ETIMEDOUT),
/// then iris and regulators off again (handover is ignored); stop = "stop" bit, stop-ack within 5 s (a
/// timeout is only logged), clear, SHUTDOWN(6). Its interrupt handlers match q6v5's (wdog and fatal report
/// crashes with the SMEM 422 reason, ready and stop-ack complete), so the same state machine serves.
/// </summary>
public sealed class WcnssRemoteproc : IRprocOps, IPasUser
{
    public const uint WcnssPasId = 6;

    /// <summary>WCNSS_CRASH_REASON_SMEM.</summary>
    public const uint CrashReasonSmem = 422;

    public const string DefaultFirmware = "wcnss.mdt";

    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(5000);

    private readonly WcnssConfig _config;
    private FirmwareImage? _firmware;

    private WcnssRemoteproc(WcnssConfig config)
    {
        _config = config;
        Rproc = new Rproc(new RprocConfig
        {
            Name = config.Name,
            Firmware = config.Node.GetString("firmware-name") ?? DefaultFirmware,
            Clock = config.Scm.Clock,
            RequestFirmware = config.RequestFirmware,
            RecoveryEnabled = config.RecoveryEnabled,
        }, this);
        Q6v5 = new Q6v5(Rproc, config.FromDsp, config.ToDsp, config.Watchdog, config.Smem, CrashReasonSmem, config.StopBit);
        Rproc.Event += e =>
        {
            if (e.Kind is RprocEventKind.Step or RprocEventKind.Error or RprocEventKind.Crash) Traced?.Invoke(e.Message);
        };
    }

    public Rproc Rproc { get; }

    public Q6v5 Q6v5 { get; }

    public string Name => _config.Name;

    public uint PasId => WcnssPasId;

    public PasUserKind Kind => PasUserKind.Wcnss;

    public string State => Rproc.StateName;

    public string? Reason => Rproc.State == RprocState.Running ? null : Rproc.LastError ?? (Rproc.LastCrash?.ToString());

    public string? LastError => Rproc.LastError;

    public bool Ok => Rproc.State is RprocState.Running or RprocState.Attached;

    public string Firmware => Rproc.Firmware;

    public event Action<string>? Traced;

    /// <summary>wcnss_probe: SCM present, then IS_SUPPORTED(6) or -ENXIO.</summary>
    public static WcnssRemoteproc Probe(WcnssConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Scm.Pool is null)
            throw new PasUserProbeException(Errno.EPROBE_DEFER, $"{config.Node.Path}: the SCM client has not been probed (-EPROBE_DEFER)");
        if (!PeripheralPas.Supported(config.Pas, WcnssPasId, _ => { }))
            throw new PasUserProbeException(Errno.ENXIO, $"{config.Node.Path}: PAS is not available for WCNSS (IS_SUPPORTED(6) false)");
        return new WcnssRemoteproc(config);
    }

    public Errno Start() => Rproc.Boot();

    public Errno Stop() => Rproc.Shutdown();

    void IRprocOps.Prepare(Rproc rproc)
    {
    }

    void IRprocOps.Unprepare(Rproc rproc)
    {
    }

    void IRprocOps.ParseFirmware(Rproc rproc, FirmwareImage firmware)
    {
        rproc.DumpSegments.Clear();
        foreach (var p in firmware.ProgramHeaders.Where(MdtRules.IsLoadable))
            rproc.DumpSegments.Add(new RprocDumpSegment(p.PhysicalAddress, p.MemorySize));
    }

    /// <summary>wcnss_load: qcom_mdt_load(6) into the carveout.</summary>
    void IRprocOps.Load(Rproc rproc, FirmwareImage firmware)
    {
        var ret = PeripheralPas.MdtLoad(_config.Pas, _config.Scm, WcnssPasId, _config.Carveout, firmware, rproc.Trace, out var why);
        if (ret != 0) throw new RprocException(PeripheralPas.ToErrno(ret), why ?? PeripheralPas.Describe(ret));
        _firmware = firmware;
    }

    void IRprocOps.Start(Rproc rproc)
    {
        _firmware = null;
        Q6v5.Prepare();
        rproc.Trace("power domains and regulators on, iris RF chip on, NV-download bit set, iris PMU/XO configured");
        try
        {
            var ret = PeripheralPas.AuthAndReset(_config.Pas, WcnssPasId, rproc.Trace);
            if (ret != 0) throw new RprocException(PeripheralPas.ToErrno(ret), $"failed to authenticate image and release reset: {PeripheralPas.Describe(ret)}");
            if (!Q6v5.WaitForStart(_config.ReadyTimeout))
            {
                PeripheralPas.Shutdown(_config.Pas, WcnssPasId, rproc.Trace);
                throw new RprocException(Errno.ETIMEDOUT, $"start timed out: no ready within {_config.ReadyTimeout.TotalMilliseconds:0} ms");
            }
        }
        catch (RprocException)
        {
            Q6v5.Unprepare();
            throw;
        }
        finally
        {
            rproc.Trace("iris RF chip, regulators and power domains off");
        }

        Q6v5.Unprepare();
    }

    void IRprocOps.Stop(Rproc rproc)
    {
        if (!Q6v5.RequestStop(_config.StopTimeout)) rproc.Trace("timed out on wait for stop-ack");
        var ret = PeripheralPas.Shutdown(_config.Pas, WcnssPasId, rproc.Trace);
        if (ret != 0) throw new RprocException(PeripheralPas.ToErrno(ret), $"failed to shutdown: {PeripheralPas.Describe(ret)}");
    }

    bool IRprocOps.ReadDeviceMemory(ulong deviceAddress, Span<byte> destination)
    {
        var carveout = _config.Carveout;
        if (deviceAddress < carveout.Base.Value) return false;
        var offset = deviceAddress - carveout.Base.Value;
        if (offset > carveout.Size || (ulong)destination.Length > carveout.Size - offset) return false;
        return _config.Scm.Bus.Read(_config.Scm.Cpu, carveout.Base + offset, destination) == BusStatus.Ok;
    }
}

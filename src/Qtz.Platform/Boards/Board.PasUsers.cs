using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Kernel.Peripherals;
using Qtz.Kernel.Remoteproc;
using Qtz.Kernel;
using Qtz.Platform.FirmwareLoader;
using Qtz.Platform.Socs;
using Qtz.Secure.Pas;
using Qtz.Secure.Scm;
using Qtz.Secure;
using Qtz.Soc.Addressing;
using Qtz.Soc.Dsp;
using Qtz.Soc;

namespace Qtz.Platform.Boards;

/// <summary>
/// The PAS users that are not PAS remoteprocs (spec/socs.md §5): venus/iris video (9), the Adreno zap shader
/// (13), IPA's GSI firmware (15) and WCNSS (6) — found in the tree, served by TrustZone's PAS service, driven by
/// their own kernel drivers, booted after the remoteprocs in PAS-id order, and shown in the boot report.
/// </summary>
public sealed partial class Board
{
    private readonly Dictionary<string, IPasUser> _pasUserDrivers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pasUserProbeErrors = new(StringComparer.Ordinal);

    /// <summary>Every non-remoteproc PAS user of the tree, in PAS-id order.</summary>
    public IReadOnlyList<BoardPasUser> PasUsers { get; private set; } = [];

    /// <summary>The driver of a PAS user (null when its probe failed: see <see cref="PasUserProbeErrors"/>).</summary>
    public IPasUser? PasUserDriver(string name) => _pasUserDrivers.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> PasUserProbeErrors => _pasUserProbeErrors;

    /// <summary>MP VIDEO_VAR, as TrustZone records it.</summary>
    public VideoVarService VideoVar { get; } = new();

    /// <summary>Enabled nodes a PAS user's driver binds: video codecs, Adreno GPUs, IPA, pronto/riva.</summary>
    internal static IEnumerable<(DtNode Node, PasUserKind Kind)> PasUserNodes(DtTree tree) =>
        tree.Root.DescendantsAndSelf().Where(n => n.IsEnabled).Select(n => (n, KindOf(n.GetStringList("compatible")))).Where(x => x.Item2 is not null).Select(x => (x.n, x.Item2!.Value));

    /// <summary>The enabled nodes of <paramref name="tree"/> a PAS user's driver binds (for callers outside a board).</summary>
    public static IEnumerable<DtNode> PasUserNodesOf(DtTree tree) => PasUserNodes(tree).Select(x => x.Node);

    /// <summary>What <paramref name="node"/> is among the PAS users, for messages; a GPU counts only with a zap-shader child.</summary>
    private static string? PasUserKindOf(DtNode node) =>
        KindOf(node.GetStringList("compatible")) is { } kind && (kind != PasUserKind.GpuZap || node.Children.Any(c => c.BaseName == "zap-shader"))
            ? PasUserKinds.Name(kind)
            : null;

    private static PasUserKind? KindOf(IReadOnlyList<string> compatibles)
    {
        if (compatibles.Count == 0) return null;
        if (compatibles.Any(PasUserTable.Video.ContainsKey)) return PasUserKind.Video;
        if (compatibles.Any(PasUserTable.Wcnss.Contains)) return PasUserKind.Wcnss;
        if (PasUserTable.IsIpa(compatibles)) return PasUserKind.Ipa;
        if (PasUserTable.Adreno(compatibles) is not null) return PasUserKind.GpuZap;
        return null;
    }

    private void WirePasUsers(BoardIdentity identity, HashSet<string> names)
    {
        var taken = new HashSet<uint>(Remoteprocs.SelectMany(r => new[] { r.PasId, r.Data.DtbPasId ?? r.PasId }));
        var users = new List<BoardPasUser>();
        foreach (var (node, kind) in PasUserNodes(DeviceTree.Tree))
        {
            var compatibles = node.GetStringList("compatible");
            var user = kind switch
            {
                PasUserKind.Video => VideoUser(node, PasUserTable.Video[compatibles.First(PasUserTable.Video.ContainsKey)]),
                PasUserKind.GpuZap => ZapUser(node, PasUserTable.Adreno(compatibles)!),
                PasUserKind.Ipa => new BoardPasUser(node, kind, "ipa", IpaGsiFirmware.IpaPasId) { Region = RegionOf(node), FirmwareName = node.GetString("firmware-name") ?? IpaGsiFirmware.DefaultFirmware },
                _ => new BoardPasUser(node, kind, "wcnss", WcnssRemoteproc.WcnssPasId) { Region = RegionOf(node), FirmwareName = node.GetString("firmware-name") ?? WcnssRemoteproc.DefaultFirmware },
            };
            var name = names.Add(user.Name) ? user.Name : $"{user.Name}@{node.UnitAddress}";
            names.Add(name);
            var inTz = user.Region is not null && taken.Add(user.PasId);
            user = user with { Name = name, Vmid = DspKinds.VmidOf(user.PasId), InTrustZone = inTz };
            if (kind == PasUserKind.Wcnss)
            {
                var stream = identity.StandInStream();
                var signals = new DspSignals(name, Irqs);
                var core = new DspCore(name, stream, Clock, signals, Smem, WcnssRemoteproc.CrashReasonSmem, Smmu.Port(stream, user.Vmid));
                core.Changed += e => Trace.Add(e.Time, BoardTraceKind.Dsp, e.Core, $"{e.State}: {e.What}");
                user = user with { Core = core, Signals = signals };
            }

            users.Add(user);
        }

        PasUsers = [.. users.OrderBy(u => u.PasId).ThenBy(u => u.Name, StringComparer.Ordinal)];
    }

    private BoardPasUser VideoUser(DtNode node, VideoPlatform platform) =>
        new(node, PasUserKind.Video, platform.Driver == VideoDriver.Iris ? "iris" : "venus", VideoFirmware.VideoPasId)
        {
            Region = RegionOf(node),
            FirmwareName = node.GetStringList("firmware-name") is [var name, ..] ? name : platform.DefaultFirmware,
            Video = platform,
        };

    private BoardPasUser ZapUser(DtNode gpu, AdrenoZapInfo info)
    {
        var zap = gpu.Children.FirstOrDefault(c => c.BaseName == "zap-shader");
        var usable = zap is { IsEnabled: true };
        var name = zap?.GetStringList("firmware-name") is [var given, ..] ? given : info.LegacyFirmware is { } legacy ? "qcom/" + legacy : "";
        return new BoardPasUser(gpu, PasUserKind.GpuZap, "gpu-zap", ZapShader.GpuPasId)
        {
            Region = usable && name.Length > 0 ? RegionOf(zap!) : null,
            FirmwareName = name,
            Gpu = info,
        };
    }

    /// <summary>memory-region[0] of <paramref name="node"/>: static or dynamic; null when it has none or it is outside DDR.</summary>
    private PhysRange? RegionOf(DtNode node)
    {
        try
        {
            return node.GetMemoryRegions() is [var first, ..] && Memory.RegionOf(first) is { } r && Memory.InDdr(r) ? r : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Generated images for the PAS users TrustZone serves (small ones: zap regions are a few pages).</summary>
    private IEnumerable<DefaultImageSpec> PasUserImages() =>
        PasUsers.Where(u => u.InTrustZone && u.FirmwareName.Length > 0).Select(u => new DefaultImageSpec(u.FirmwareName, u.PasId, u.Region!.Value)
        {
            SoftwareId = DspKinds.SoftwareIdOf(u.PasId),
            SegmentSizes = u.Region!.Value.Size < 64 << 10 ? [0x1000] : null,
        });

    /// <summary>TrustZone's peripherals for the PAS users (only WCNSS has a core to release; the others lock their region).</summary>
    private IEnumerable<PasPeripheral> PasUserPeripherals() =>
        PasUsers.Where(u => u.InTrustZone && !Options.SecureOmitsPasIds.Contains(u.PasId)).Select(u => new PasPeripheral(u.PasId, u.Name, u.Region!.Value, u.Core, u.Vmid)
        {
            ExpectedSoftwareId = DspKinds.SoftwareIdOf(u.PasId),
            AuthAndResetNotSupported = u.Kind == PasUserKind.GpuZap && Options.ZapShaderNotNeeded,
        });

    private void AddPasUserServices(ScmServiceTable.Builder services) => services.Add(VideoVar);

    private void ProbePasUsers()
    {
        foreach (var u in PasUsers)
        {
            try
            {
                IPasUser driver = u.Kind switch
                {
                    PasUserKind.Video => new VideoFirmware(UserConfig(u), u.Video!) { RemoteStateId = Options.VideoRemoteStateId },
                    PasUserKind.GpuZap => new ZapShader(UserConfig(u), u.Gpu!),
                    PasUserKind.Ipa => new IpaGsiFirmware(UserConfig(u)),
                    _ => ProbeWcnss(u),
                };
                driver.Traced += m => Trace.Add(Clock.Now, BoardTraceKind.Remoteproc, $"{PasUserKinds.Name(u.Kind)}:{u.Name}", m);
                _pasUserDrivers[u.Name] = driver;
            }
            catch (PasUserProbeException e)
            {
                _pasUserProbeErrors[u.Name] = $"{e.Message} (-{e.Errno})";
                Trace.Add(Clock.Now, BoardTraceKind.Remoteproc, $"{PasUserKinds.Name(u.Kind)}:{u.Name}", "probe failed: " + e.Message);
            }
        }
    }

    private WcnssRemoteproc ProbeWcnss(BoardPasUser u)
    {
        if (u.Region is not { } carveout)
            throw new PasUserProbeException(Errno.EINVAL, $"{u.Node.Path}: no usable memory-region (the firmware carveout is required)");
        var driver = WcnssRemoteproc.Probe(new WcnssConfig
        {
            Node = u.Node,
            Name = u.Name,
            Scm = Scm,
            Pas = PasLayer,
            Carveout = carveout,
            RequestFirmware = name => RequestUserFirmware(u, name),
            FromDsp = u.Signals!.FromDsp,
            ToDsp = u.Signals.ToDsp,
            Watchdog = u.Signals.Watchdog,
            Smem = Smem,
            RecoveryEnabled = !Options.RecoveryDisabled,
        });
        driver.Rproc.CoredumpMode = Options.Coredump;
        return driver;
    }

    private PasUserConfig UserConfig(BoardPasUser u) => new()
    {
        Node = u.Node,
        Name = u.Name,
        Scm = Scm,
        Pas = PasLayer,
        RequestFirmware = name => RequestUserFirmware(u, name),
        RegionOf = region => Memory.RegionOf(region),
    };

    private Qtz.Firmware.Images.FirmwareImage RequestUserFirmware(BoardPasUser u, string name)
    {
        var image = Firmware.TryOpen(name) ?? throw new FileNotFoundException($"{u.Name}: firmware {name} not found in {Firmware.Description}");
        Trace.Add(Clock.Now, BoardTraceKind.Note, "firmware", $"{u.Name}: request_firmware({name}) from {Firmware.Description}");
        return image;
    }

    /// <summary>Linux brings the PAS users up after the remoteprocs: probe-time loads, GPU hw_init, WCNSS auto-boot.</summary>
    private void BootPasUsers()
    {
        foreach (var u in PasUsers)
        {
            if (PasUserDriver(u.Name) is not { } driver) continue;
            var start = Clock.Now;
            if (driver.Start() == Errno.None) _bootTimes[u.Name] = Clock.Now - start;
        }
    }

    /// <summary>The driver's cause, with TrustZone's own refusal when there is one (the most specific reason the board can name).</summary>
    private string? ReasonOf(BoardPasUser u, IPasUser driver)
    {
        if (driver.Ok || !u.InTrustZone || Pas.LastError(u.PasId) is not { } refused) return driver.Reason;
        var root = refused.Code == PasErrors.UntrustedRoot && RootHashIn(refused.Reason) is { } hash ? $"; to trust that root, pass --trust-root {hash}" : "";
        return $"{driver.Reason}; TrustZone refused {refused.Call}: {refused.Reason}{root}";
    }

    private IEnumerable<PeripheralReport> PeripheralReports()
    {
        foreach (var r in Remoteprocs)
        {
            var row = ReportOf(r);
            yield return new PeripheralReport(r.Name, r.PasId, PasUserKinds.Name(PasUserKind.Remoteproc), row.State, row.Failure, row.Firmware) { Ok = row.Running };
        }

        foreach (var u in PasUsers)
        {
            var driver = PasUserDriver(u.Name);
            yield return driver is null
                ? new PeripheralReport(u.Name, u.PasId, PasUserKinds.Name(u.Kind), "probe-failed", _pasUserProbeErrors.GetValueOrDefault(u.Name, "not probed"), u.FirmwareName)
                : new PeripheralReport(u.Name, u.PasId, PasUserKinds.Name(u.Kind), driver.State, ReasonOf(u, driver), driver.Firmware) { Ok = driver.Ok };
        }
    }
}

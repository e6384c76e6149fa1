using Qtz.DeviceTree;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Socs;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.DeviceTree.Properties;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Pas;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;

namespace Qtz.Platform.Boards;

/// <summary>The secure-world PAS service, QHEE and the kernel's PAS remoteprocs, wired to the board's hardware.</summary>
public sealed partial class Board
{
    private readonly Dictionary<string, PasRemoteproc> _drivers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImageDescription> _firmwareSeen = new(StringComparer.Ordinal);

    public PasService Pas { get; }

    public SecureBootFuses Fuses { get; }

    /// <summary>The hypervisor below Linux in QHEE mode; null when Linux is the KVM host.</summary>
    public Qhee? Qhee { get; private set; }

    /// <summary>The kernel's driver instance for a remoteproc (null when its probe failed: see <see cref="ProbeErrors"/>).</summary>
    public PasRemoteproc? Driver(string name) => _drivers.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> ProbeErrors => _probeErrors;

    private readonly Dictionary<string, string> _probeErrors = new(StringComparer.Ordinal);

    /// <summary>What the firmware a remoteproc last requested says about its signer (no hashing), if it was found.</summary>
    public ImageDescription? FirmwareSeen(string name) => _firmwareSeen.GetValueOrDefault(name);

    /// <summary>TZ's view of the peripherals: carveout, core, VMID, stream and the devmem it reports in GET_RSCTABLE.</summary>
    public IReadOnlyList<PasPeripheral> Peripherals { get; }

    /// <summary>TrustZone's PAS service over the board's peripherals and fuses.</summary>
    private PasService CreatePas()
    {
        var lite = Remoteprocs.SelectMany(r => new[] { r.Data.LitePasId, r.Data.LiteDtbPasId }).OfType<uint>().Distinct().ToArray();
        uint? modem = Remoteprocs.Any(r => r.PasId == DspKinds.ModemPasId) ? DspKinds.ModemPasId : null;
        // Without a shared cache TZ keeps its own (PasService's default): null here must not switch caching off.
        var pas = Options.SignatureCache is { } shared
            ? new PasService(World, Fuses, Peripherals) { SignatureCache = shared, LiteIds = lite, ModemPasId = modem }
            : new PasService(World, Fuses, Peripherals) { LiteIds = lite, ModemPasId = modem };
        pas.ScrubOnShutdown = Options.ScrubCarveoutOnShutdown;
        pas.Traced += e => Trace.Add(e.Time, BoardTraceKind.Pas, "tz-pas", e.ToString()[(e.Time.ToString().Length + 1)..]);
        return pas;
    }

    /// <summary>
    /// How long TZ keeps decrypting a decrypt_shutdown SoC's modem after AUTH_AND_RESET (SHUTDOWN answers
    /// -EINVAL meanwhile). UNCONFIRMED: no source gives a duration; 250 ms makes a prompt stop take Linux's retry path.
    /// </summary>
    public static readonly TimeSpan ModemDecryptTime = TimeSpan.FromMilliseconds(250);

    /// <summary>TZ's peripherals for one DSP: its own, and its DTB image's (no core: the DSP reads it through its own stream).</summary>
    private static IEnumerable<PasPeripheral> PeripheralsOf(BoardRemoteproc r)
    {
        PhysRange[] companions = r.DtbCarveout is { } dtb ? [dtb] : [];
        yield return new PasPeripheral(r.PasId, r.Name, r.Carveout, r.Core, r.Hardware.Vmid)
        {
            StreamMask = r.Hardware.StreamMask,
            ExpectedSoftwareId = r.Hardware.SoftwareId,
            DeviceMemory = r.DeviceMemory.Select(d => new PasDeviceMemory(new Iova(d.DeviceAddress), new PhysAddr(d.PhysicalAddress), d.Size, Permissions(d.Protection), $"devmem@{d.PhysicalAddress:x}")).ToArray(),
            CompanionCarveouts = companions,
            DecryptingAfterAuth = r.Data.DecryptShutdown ? ModemDecryptTime : TimeSpan.Zero,
        };
        if (r.Data.DtbPasId is { } dtbPasId && r.DtbCarveout is { } carveout)
            yield return new PasPeripheral(dtbPasId, r.Name + "-dtb", carveout, null, r.Hardware.Vmid) { ExpectedSoftwareId = DspKinds.SoftwareIdOf(dtbPasId) };
    }

    /// <summary>QHEE (when Linux runs under it), then qcom_pas_probe for every PAS node, as the kernel boots.</summary>
    private void ProbeKernelDrivers()
    {
        if (Options.Mode == KernelMode.Qhee)
        {
            Qhee = new Qhee(Bus, new QheeOptions { SmmuBase = SmmuBase, PageTableRam = Memory.HypervisorPageTables, ProgramStreams = SmmuNode is not null }, Peripherals);
            Qhee.Traced += e => Trace.Add(e.Time, BoardTraceKind.Note, "qhee", $"PAS {e.PasId}: {e.What}");
            Qhee.Install(Conduit);
        }

        foreach (var r in Remoteprocs)
        {
            try
            {
                var driver = PasRemoteproc.Probe(new PasRemoteprocConfig
                {
                    Node = r.Node,
                    Data = r.Data,
                    Name = r.Name,
                    Scm = Scm,
                    Pas = PasLayer,
                    FromDsp = r.Signals.FromDsp,
                    ToDsp = r.Signals.ToDsp,
                    Watchdog = r.Signals.Watchdog,
                    Smem = Smem,
                    Smmu = ArmSmmu,
                    RequestFirmware = name => RequestFirmware(r, name),
                    El2Design = Options.El2Design == El2Design.Devmem ? PasEl2Design.Devmem : PasEl2Design.RscTable,
                    // A KVM host knows it owns EL2: it bridges PAS buffers whether or not the tree has
                    // 'iommus' (PasRemoteprocConfig.UseTzMem), so a missing overlay shows as SMMU faults.
                    UseTzMem = Options.Mode == KernelMode.Kvm ? true : null,
                    AutoBoot = false,
                    RecoveryEnabled = !Options.RecoveryDisabled,
                    EarlyBoot = StartedByBootloader(r) ? true : null,
                });
                driver.Rproc.CoredumpMode = Options.Coredump;
                driver.Rproc.Event += e =>
                {
                    Trace.Add(e.Time, BoardTraceKind.Remoteproc, "remoteproc:" + e.Rproc, e.Message);
                    WatchDomain(driver);
                };
                _drivers[r.Name] = driver;
            }
            catch (RemoteprocProbeException e)
            {
                _probeErrors[r.Name] = e.Message;
                Trace.Add(Clock.Now, BoardTraceKind.Remoteproc, "remoteproc:" + r.Name, "probe failed: " + e.Message);
            }
        }

        ProbePasUsers();
        StartBootloaderImages();
    }

    private readonly HashSet<Kernel.Iommu.IommuDomain> _watchedDomains = [];

    /// <summary>qcom_pas_remove for every probed driver (idempotent).</summary>
    public void RemoveDrivers()
    {
        foreach (var driver in _drivers.Values) driver.Remove();
    }

    /// <summary>Linux's IOMMU map/unmap calls for a remoteproc's domain become board events (the domain exists only while it boots or runs).</summary>
    private void WatchDomain(PasRemoteproc driver)
    {
        if (driver.Rproc.Domain is not { } domain || !_watchedDomains.Add(domain)) return;
        var name = driver.Rproc.Name;
        domain.Changed += m => Trace.Add(Clock.Now, m.IsUnmap ? BoardTraceKind.SmmuUnmap : BoardTraceKind.SmmuMap, "linux-iommu:" + name,
            m.IsUnmap
                ? $"iova {m.Iova} size 0x{m.Size:x} -> 0x{m.Bytes:x} bytes unmapped"
                : $"iova {m.Iova} -> pa {m.Paddr} size 0x{m.Size:x} prot {m.Prot}{(m.Iova.Value == m.Paddr.Value ? " (identity)" : "")} -> {(m.Result == Kernel.Errno.None ? "ok" : m.Result.ToString())}");
    }

    /// <summary>request_firmware: the DT's names as given; the table's defaults (no firmware-name) bare and under qcom/SOC/.</summary>
    private FirmwareImage RequestFirmware(BoardRemoteproc r, string name)
    {
        var isDefault = (r.FirmwareName is null && name == r.Data.FirmwareName)
            || (r.Data.DtbFirmwareName == name && r.RequestedDtbFirmware == name && r.Node.GetStringList("firmware-name").Count < 2);
        var candidates = isDefault
            ? Qtz.Platform.FirmwareLoader.FirmwareSource.Candidates(null, name, r.Soc)
            : [name];
        foreach (var candidate in candidates)
        {
            var image = Firmware.TryOpen(candidate);
            if (image is null) continue;
            try
            {
                if (name == r.RequestedFirmware) _firmwareSeen[r.Name] = FirmwareInspector.Describe(image);
            }
            catch (FormatException)
            {
                // The driver and TZ report what is wrong with it; the table just shows no signer.
            }

            Trace.Add(Clock.Now, BoardTraceKind.Note, "firmware", $"{r.Name}: request_firmware({candidate}) from {Firmware.Description}");
            return image;
        }

        throw new FileNotFoundException($"{r.Name}: firmware {string.Join(" / ", candidates)} not found in {Firmware.Description}");
    }

    private static AccessPermissions Permissions(IommuProt prot) =>
        ((prot & IommuProt.Read) != 0 ? AccessPermissions.Read : AccessPermissions.None)
        | ((prot & IommuProt.Write) != 0 ? AccessPermissions.Write : AccessPermissions.None);
}

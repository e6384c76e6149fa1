using Qtz.DeviceTree;
using Qtz.Firmware;
using Qtz.Firmware.Images;
using Qtz.Firmware.ResourceTables;
using Qtz.Kernel.Pas;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Properties;
using Qtz.Firmware.Mdt;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Errors;

namespace Qtz.Kernel.Remoteproc;

/// <summary>The PAS driver's probe could not use the DT node: what was wrong and where (bad input).</summary>
public sealed class RemoteprocProbeException : QtzException
{
    public RemoteprocProbeException()
        : this("the remoteproc node cannot be probed")
    {
    }

    public RemoteprocProbeException(string message)
        : base(ErrorKind.BadInput, message)
    {
    }

    public RemoteprocProbeException(string message, Exception innerException)
        : base(ErrorKind.BadInput, message, innerException)
    {
    }
}

/// <summary>
/// drivers/remoteproc/qcom_q6v5_pas.c: a DSP started through TrustZone's PAS. Probe reads the DT node
/// (firmware-name, memory-region, iommus, qcom,devmem); the remoteproc core drives the ops below in
/// spec/scm-pas.md §7.4-7.6 order. <see cref="Rproc"/> is what the board boots, stops and watches.
/// </summary>
public sealed partial class PasRemoteproc : IRprocOps, IRprocAttachOps
{
    private readonly PasRemoteprocConfig _config;
    private readonly Scm _scm;
    private readonly QcomPas _pas;
    private FirmwareImage? _firmware;
    private bool _proxyVoted;

    private PasRemoteproc(PasRemoteprocConfig config, PasCarveouts carveouts, string firmware, string? dtbFirmware, IReadOnlyList<uint>? iommu, IReadOnlyList<DevmemEntry> devmem)
    {
        _config = config;
        _scm = config.Scm;
        _pas = config.Pas ?? QteeOnly(config.Scm);
        Carveout = carveouts.Main;
        DtbCarveout = carveouts.Dtb;
        DtbFirmware = dtbFirmware;
        AssignedRegions = carveouts.Assigned;
        Devmem = devmem;
        HasIommu = iommu is not null;
        StreamId = iommu is { Count: > 0 } ? (ushort)iommu[0] : (ushort)0;
        StreamMask = iommu is { Count: > 1 } ? (ushort)iommu[1] : (ushort)0;
        // use_tzmem = needs_tzmem || has_iommu for both contexts (spec/socs.md §2.1 step 7).
        var useTzMem = config.UseTzMem ?? (HasIommu || config.Data.NeedsTzMem);
        Context = _pas.ContextAlloc(config.Data.PasId, Carveout.Base, Carveout.Size);
        Context.UseTzMem = useTzMem;
        if (config.Data.DtbPasId is { } dtbPasId && DtbCarveout is { } dtb)
        {
            DtbContext = _pas.ContextAlloc(dtbPasId, dtb.Base, dtb.Size);
            DtbContext.UseTzMem = useTzMem;
        }

        MemReloc = Carveout.Base.Value;
        Rproc = new Rproc(new RprocConfig
        {
            Name = config.Name ?? config.Data.Name,
            Firmware = firmware,
            Clock = _scm.Clock,
            FirmwareSearchPath = config.FirmwareSearchPath,
            RequestFirmware = config.RequestFirmware,
            HasIommu = HasIommu,
            Smmu = config.Smmu,
            StreamId = StreamId,
            StreamMask = StreamMask,
            AutoBoot = config.AutoBoot ?? config.Data.AutoBoot,
            RecoveryEnabled = config.RecoveryEnabled,
        }, this);
        Q6v5 = new Q6v5(Rproc, config.FromDsp, config.ToDsp, config.Watchdog, config.Smem, config.Data.CrashReasonSmem, config.StopBit);
        Q6v5.Handover = DropProxyVotes;
    }

    public Rproc Rproc { get; }

    public Q6v5 Q6v5 { get; }

    public PasData Data => _config.Data;

    public DtNode Node => _config.Node;

    /// <summary>The main PAS context (pas id, carveout, metadata buffer; use_tzmem = needs_tzmem || has_iommu).</summary>
    public PasContext Context { get; }

    /// <summary>The DTB image's context (dtb_pas_id over memory-region[1]); null on SoCs without DTB images.</summary>
    public PasContext? DtbContext { get; }

    public PhysRange Carveout { get; }

    /// <summary>memory-region[1] when the SoC has a DTB image.</summary>
    public PhysRange? DtbCarveout { get; }

    /// <summary>The DTB image's name: <c>firmware-name</c>[1], else the SoC default; null without DTB images.</summary>
    public string? DtbFirmware { get; }

    /// <summary>The regions hyp-assigned at probe (region_assign), with the owner mask to give them back from.</summary>
    public IReadOnlyList<PhysRange> AssignedRegions { get; }

    /// <summary>mem_reloc of the last load (the image's own base for relocatable images).</summary>
    public ulong MemReloc { get; private set; }

    /// <summary>The node has `iommus`: Linux (the EL2 host) owns the DSP's firmware stream.</summary>
    public bool HasIommu { get; }

    public ushort StreamId { get; }

    public ushort StreamMask { get; }

    /// <summary>`qcom,devmem` rows (seed design); empty when the node has none.</summary>
    public IReadOnlyList<DevmemEntry> Devmem { get; }

    public PasEl2Design El2Design => _config.El2Design;

    /// <summary>Proxy votes (power domains, xo, cx) held between start and handover (or stop).</summary>
    public bool ProxyVoted => _proxyVoted;

    public RprocResourceCounters Counters => new(
        Context.HasMetadata ? 1 : 0,
        Rproc.Mappings.Count,
        Rproc.Domain is not null,
        _scm.PasCounters.LiveCarveoutBridges,
        _scm.Pool?.LiveChunks ?? 0);

    /// <summary>qcom_pas_probe. Throws <see cref="RemoteprocProbeException"/> naming the node and property at fault.</summary>
    public static PasRemoteproc Probe(PasRemoteprocConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var node = config.Node;
        if (config.Scm.Pool is null)
            throw new RemoteprocProbeException($"{node.Path}: the SCM client has not been probed (Linux defers the probe: -EPROBE_DEFER)");
        if (config.Pas is { } pas && !pas.IsAvailable())
            throw new RemoteprocProbeException($"{node.Path}: no PAS backend is registered (qcom_pas_is_available() is false; Linux defers the probe: -EPROBE_DEFER)");
        if (!node.IsCompatible(config.Data.Compatible))
            throw new RemoteprocProbeException($"{node.Path}: compatible does not include '{config.Data.Compatible}' (the PasData chosen for it)");
        var names = node.GetStringList("firmware-name");
        var firmware = names.Count > 0 ? names[0] : config.Data.FirmwareName;
        // The DTB image's name: firmware-name[1], else the SoC's default DTB name (spec/socs.md §2.1 step 2).
        var dtbFirmware = config.Data.DtbPasId is null ? null : names.Count > 1 ? names[1] : config.Data.DtbFirmwareName;
        var carveouts = CarveoutsFromDt(node, config);
        IReadOnlyList<uint>? iommu = null;
        if (node.HasProperty("iommus"))
        {
            var iommus = Probing(node, "iommus", node.GetIommus);
            if (iommus.Count == 0) throw new RemoteprocProbeException($"{node.Path}: `iommus` is empty");
            iommu = iommus[0].Args;
            if (config.Smmu is null)
                throw new RemoteprocProbeException($"{node.Path}: has `iommus` but the board gave the driver no SMMU to program");
        }

        var driver = new PasRemoteproc(config, carveouts, firmware, dtbFirmware, iommu, ParseDevmem(node));
        driver.AssignMemoryRegions();
        // early_boot: DETACHED before rproc_add, so the core attaches first (spec/socs.md §2.1 step 8, §2.7).
        if (config.EarlyBoot ?? config.Data.EarlyBoot)
            driver.Rproc.MarkDetached();
        return driver;
    }

    /// <summary>memory-region[0] (main), [1] when the SoC has a DTB image, and the region_assign ones.</summary>
    private static PasCarveouts CarveoutsFromDt(DtNode node, PasRemoteprocConfig config)
    {
        var data = config.Data;
        var needDtb = data.DtbPasId is not null;
        var assign = data.RegionAssign;
        if (config.Carveout is { } given && !needDtb && assign is null) return new PasCarveouts(given, null, []);
        var regions = Probing(node, "memory-region", node.GetMemoryRegions);
        if (regions.Count == 0) throw new RemoteprocProbeException($"{node.Path}: no memory-region (the firmware carveout is required)");
        var main = config.Carveout ?? RegionAt(node, regions, 0, "the firmware carveout");
        var dtb = needDtb ? RegionAt(node, regions, 1, $"the DTB image's carveout (dtb_pas_id {data.DtbPasId})") : (PhysRange?)null;
        var assigned = new List<PhysRange>();
        if (assign is { } a)
        {
            for (var k = 0; k < a.ClampedCount; k++)
                assigned.Add(RegionAt(node, regions, a.Index + k, $"shareable region {k} (region_assign)"));
        }

        return new PasCarveouts(main, dtb, assigned);
    }

    private static PhysRange RegionAt(DtNode node, IReadOnlyList<DtNode> regions, int index, string what)
    {
        if (index >= regions.Count)
            throw new RemoteprocProbeException($"{node.Path}: memory-region[{index}] ({what}) is missing: the node has {regions.Count}");
        var reg = Probing(regions[index], "reg", regions[index].GetReg);
        if (reg.Count == 0 || !PhysRange.TryCreate(reg[0].Address, reg[0].Size, out var range))
            throw new RemoteprocProbeException($"{node.Path}: memory-region[{index}] {regions[index].Path} has no usable reg");
        return range;
    }

    /// <summary>The seed's parser: element count must be a non-zero multiple of 4 when the property is present.</summary>
    private static IReadOnlyList<DevmemEntry> ParseDevmem(DtNode node)
    {
        var property = node.FindProperty("qcom,devmem");
        if (property is null) return [];
        var cells = property.Length / 4;
        if (property.Length % 4 != 0 || cells == 0 || cells % 4 != 0)
            throw new RemoteprocProbeException($"{node.Path}: qcom,devmem has {property.Length} bytes ({cells} cells); expected a non-zero multiple of 4 cells (<da pa size prot> rows)");
        return Probing(node, "qcom,devmem", node.GetDevmem);
    }

    /// <summary>A driver built without a board's PAS layer: a private one with the QTEE backend over its SCM client.</summary>
    private static QcomPas QteeOnly(Scm scm)
    {
        var pas = new QcomPas();
        pas.Register(new QteePasOps(scm));
        return pas;
    }

    /// <summary>The generic PAS layer this driver calls (spec/socs.md §4.1).</summary>
    public QcomPas Pas => _pas;

    private static T Probing<T>(DtNode node, string property, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException e)
        {
            throw new RemoteprocProbeException($"{node.Path}: bad `{property}`: {e.Message}", e);
        }
    }

    void IRprocOps.Prepare(Rproc rproc)
    {
    }

    /// <summary>qcom_pas_unprepare: the safety-net metadata release.</summary>
    void IRprocOps.Unprepare(Rproc rproc)
    {
        _pas.MetadataRelease(Context);
        if (DtbContext is not null) _pas.MetadataRelease(DtbContext);
    }

    /// <summary>
    /// qcom_pas_parse_firmware: coredump segments; at EL2 (rsctable design) rproc_elf_load_rsc_table (its
    /// failure only logged), then GET_RSCTABLE with the image's own <c>.resource_table</c> as input (none:
    /// SCM sends an empty one), and TZ's answer replaces the cached table.
    /// </summary>
    void IRprocOps.ParseFirmware(Rproc rproc, FirmwareImage firmware)
    {
        rproc.DumpSegments.Clear();
        foreach (var p in firmware.ProgramHeaders.Where(MdtRules.IsLoadable))
            rproc.DumpSegments.Add(new RprocDumpSegment(p.PhysicalAddress, p.MemorySize));
        if (!HasIommu || El2Design != PasEl2Design.RscTable) return;

        var own = RprocElfResourceTable.Find(firmware, out var why);
        rproc.Trace(own is null ? $"no resource table in the firmware ({why}); GET_RSCTABLE gets an empty one" : $"firmware {why}: GET_RSCTABLE input");
        var ret = _pas.GetRscTable(Context, own, out var bytes);
        rproc.Trace($"GET_RSCTABLE pas {Context.PasId} via {_pas.BackendName} -> {PasErrors.Describe(ret)}{(bytes is null ? ", no table" : $", {bytes.Length} bytes")}");
        if (ret != 0) throw new RprocException(PasErrors.ToErrno(ret), $"GET_RSCTABLE refused: {PasErrors.Describe(ret)}");
        if (bytes is null) return; // the backend has nothing to add: the image's own table stays
        try
        {
            rproc.SetCachedTable(ResourceTable.Parse(bytes));
        }
        catch (FormatException e)
        {
            throw new RprocException(Errno.EINVAL, $"GET_RSCTABLE returned a malformed resource table: {e.Message}", e);
        }
    }


    bool IRprocOps.ReadDeviceMemory(ulong deviceAddress, Span<byte> destination)
    {
        if (deviceAddress < MemReloc) return false;
        var offset = deviceAddress - MemReloc;
        if (offset > Carveout.Size || (ulong)destination.Length > Carveout.Size - offset) return false;
        return _scm.Bus.Read(_scm.Cpu, Carveout.Base + offset, destination) == BusStatus.Ok;
    }

    private void DropProxyVotes()
    {
        if (!_proxyVoted) return;
        _proxyVoted = false;
        Rproc.Trace($"proxy votes released ({string.Join(", ", Data.ProxyPowerDomains.Append("xo"))})");
    }
}

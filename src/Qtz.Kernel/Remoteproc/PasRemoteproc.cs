using Qtz.DeviceTree;
using Qtz.Firmware;
using Qtz.Firmware.Images;
using Qtz.Firmware.ResourceTables;
using Qtz.Soc;

namespace Qtz.Kernel.Remoteproc;

/// <summary>The PAS driver's probe could not use the DT node: what was wrong and where.</summary>
public sealed class RemoteprocProbeException : FormatException
{
    public RemoteprocProbeException()
    {
    }

    public RemoteprocProbeException(string message)
        : base(message)
    {
    }

    public RemoteprocProbeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// drivers/remoteproc/qcom_q6v5_pas.c: a DSP started through TrustZone's PAS. Probe reads the DT node
/// (firmware-name, memory-region, iommus, qcom,devmem); the remoteproc core drives the ops below in
/// spec/scm-pas.md §7.4-7.6 order. <see cref="Rproc"/> is what the board boots, stops and watches.
/// </summary>
public sealed partial class PasRemoteproc : IRprocOps
{
    private readonly PasRemoteprocConfig _config;
    private readonly Scm _scm;
    private FirmwareImage? _firmware;
    private bool _proxyVoted;

    private PasRemoteproc(PasRemoteprocConfig config, PhysRange carveout, string firmware, IReadOnlyList<uint>? iommu, IReadOnlyList<DevmemEntry> devmem)
    {
        _config = config;
        _scm = config.Scm;
        Carveout = carveout;
        Devmem = devmem;
        HasIommu = iommu is not null;
        StreamId = iommu is { Count: > 0 } ? (ushort)iommu[0] : (ushort)0;
        StreamMask = iommu is { Count: > 1 } ? (ushort)iommu[1] : (ushort)0;
        Context = _scm.PasContextAlloc(config.Data.PasId, carveout.Base, carveout.Size);
        Context.UseTzMem = config.UseTzMem ?? HasIommu;
        MemReloc = carveout.Base.Value;
        Rproc = new Rproc(new RprocConfig
        {
            Name = config.Data.Name,
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

    /// <summary>The main PAS context (pas id, carveout, metadata buffer; use_tzmem = has_iommu).</summary>
    public PasContext Context { get; }

    public PhysRange Carveout { get; }

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
        if (!node.IsCompatible(config.Data.Compatible))
            throw new RemoteprocProbeException($"{node.Path}: compatible does not include '{config.Data.Compatible}' (the PasData chosen for it)");
        if (config.Data.DtbPasId is not null)
            throw new RemoteprocProbeException($"{node.Path}: DTB images (dtb_pas_id) are not modelled; SA8775p has none");

        var firmware = node.GetStringList("firmware-name") is { Count: > 0 } names ? names[0] : config.Data.FirmwareName;
        var carveout = config.Carveout ?? CarveoutFromDt(node);
        IReadOnlyList<uint>? iommu = null;
        if (node.HasProperty("iommus"))
        {
            var iommus = Probing(node, "iommus", node.GetIommus);
            if (iommus.Count == 0) throw new RemoteprocProbeException($"{node.Path}: `iommus` is empty");
            iommu = iommus[0].Args;
            if (config.Smmu is null)
                throw new RemoteprocProbeException($"{node.Path}: has `iommus` but the board gave the driver no SMMU to program");
        }

        return new PasRemoteproc(config, carveout, firmware, iommu, ParseDevmem(node));
    }

    private static PhysRange CarveoutFromDt(DtNode node)
    {
        var regions = Probing(node, "memory-region", node.GetMemoryRegions);
        if (regions.Count == 0) throw new RemoteprocProbeException($"{node.Path}: no memory-region (the firmware carveout is required)");
        var reg = Probing(regions[0], "reg", regions[0].GetReg);
        if (reg.Count == 0 || !PhysRange.TryCreate(reg[0].Address, reg[0].Size, out var range))
            throw new RemoteprocProbeException($"{node.Path}: memory-region[0] {regions[0].Path} has no usable reg");
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
    void IRprocOps.Unprepare(Rproc rproc) => _scm.PasMetadataRelease(Context);

    /// <summary>qcom_pas_parse_firmware: coredump segments; at EL2 (rsctable design) the resource table from TZ.</summary>
    void IRprocOps.ParseFirmware(Rproc rproc, FirmwareImage firmware)
    {
        rproc.DumpSegments.Clear();
        foreach (var p in firmware.ProgramHeaders.Where(MdtRules.IsLoadable))
            rproc.DumpSegments.Add(new RprocDumpSegment(p.PhysicalAddress, p.MemorySize));
        if (!HasIommu || El2Design != PasEl2Design.RscTable) return;

        var ret = _scm.PasGetRscTable(Context, [], out var bytes);
        rproc.Trace($"GET_RSCTABLE pas {Context.PasId} -> {PasErrors.Describe(ret)}{(bytes is null ? "" : $", {bytes.Length} bytes")}");
        if (ret != 0) throw new RprocException(PasErrors.ToErrno(ret), $"GET_RSCTABLE refused: {PasErrors.Describe(ret)}");
        try
        {
            rproc.SetCachedTable(ResourceTable.Parse(bytes));
        }
        catch (FormatException e)
        {
            throw new RprocException(Errno.EINVAL, $"GET_RSCTABLE returned a malformed resource table: {e.Message}", e);
        }
    }

    /// <summary>qcom_pas_load: keeps the firmware for start (no lite or DTB images on SA8775p).</summary>
    void IRprocOps.Load(Rproc rproc, FirmwareImage firmware) => _firmware = firmware;

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

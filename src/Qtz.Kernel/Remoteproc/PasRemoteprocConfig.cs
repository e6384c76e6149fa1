using Qtz.DeviceTree;
using Qtz.Firmware.Images;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;

namespace Qtz.Kernel.Remoteproc;

/// <summary>Where the DSP's device memory (devmem) mappings come from when Linux is the EL2 host.</summary>
public enum PasEl2Design
{
    /// <summary>Merged 2026 design: GET_RSCTABLE in parse_fw, RSC_DEVMEM entries mapped by the core.</summary>
    RscTable,

    /// <summary>2024 seed design: `qcom,devmem` 4-tuples from the DT mapped by the driver at start.</summary>
    Devmem,
}

/// <summary>
/// Everything the PAS driver's probe needs, resolved by the board: the DT node and the SoC table entry
/// chosen by its compatible, the SCM client (its CPU is the bus master Linux writes the carveout as),
/// the q6v5 handshake objects the DT's interrupts / smem-states point at, and the policy options.
/// </summary>
public sealed record PasRemoteprocConfig
{
    /// <summary>The remoteproc node (compatible, firmware-name, memory-region, iommus, qcom,devmem, smem-states).</summary>
    public required DtNode Node { get; init; }

    public required PasData Data { get; init; }

    /// <summary>The rproc's name; null: <see cref="PasData.Name"/> (the board makes names unique per board).</summary>
    public string? Name { get; init; }

    public required Scm Scm { get; init; }

    /// <summary>The generic PAS layer the driver's PAS calls go through; null: a private one with the QTEE backend over <see cref="Scm"/>.</summary>
    public Pas.QcomPas? Pas { get; init; }

    /// <summary>smp2p_X_in: fatal(0), ready(1), handover(2), stop-ack(3) from the DSP.</summary>
    public required Smp2pEntry FromDsp { get; init; }

    /// <summary>smp2p_X_out: the "stop" state Linux sets.</summary>
    public required Smp2pEntry ToDsp { get; init; }

    public required IrqLine Watchdog { get; init; }

    public required SharedMemory Smem { get; init; }

    /// <summary>The main carveout; null = memory-region[0]'s reg from the DT (the DTB and region_assign ones always come from the DT).</summary>
    public PhysRange? Carveout { get; init; }

    /// <summary>The SMMU behind `iommus` (required when the node has `iommus`).</summary>
    public ArmSmmu? Smmu { get; init; }

    public IReadOnlyList<string> FirmwareSearchPath { get; init; } = [];

    /// <summary>request_firmware override (embedded firmware); default: search <see cref="FirmwareSearchPath"/>.</summary>
    public Func<string, FirmwareImage>? RequestFirmware { get; init; }

    public PasEl2Design El2Design { get; init; } = PasEl2Design.RscTable;

    /// <summary>
    /// Whether PAS buffers go through tzmem/SHM bridges (the PAS context's <c>use_tzmem</c>). Null is
    /// mainline's rule: use_tzmem = has_iommu, i.e. the node's <c>iommus</c> is the only EL2 signal. True
    /// models the reviewers' alternative (spec §7.3: ask <c>is_hyp_mode_available()</c>): a KVM host
    /// bridges its PAS buffers even when the tree lacks <c>iommus</c>, so TrustZone accepts the image and
    /// the missing SMMU mappings show up as the DSP's own faults.
    /// </summary>
    public bool? UseTzMem { get; init; }

    /// <summary>Seed variant: IOVA = pa | ((sid &amp; 0xF) &lt;&lt; 32) for carveout and devmem (36-bit DSP address space).</summary>
    public bool DevmemSidInIova { get; init; }

    /// <summary>The SMP2P "stop" bit (qcom,smem-states cell); 0 on SA8775p.</summary>
    public int StopBit { get; init; } = DspSignals.StopBit;

    /// <summary>
    /// Probe the processor DETACHED so the core attaches first (spec/socs.md §2.7); null: the SoC row's
    /// <c>early_boot</c>. True models a board whose bootloader started a DSP the row does not mark.
    /// </summary>
    public bool? EarlyBoot { get; init; }

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMilliseconds(5000);

    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromMilliseconds(5000);

    /// <summary>QCOM_PAS_DECRYPT_SHUTDOWN_DELAY_MS: the pause between SHUTDOWN retries of a decrypt_shutdown SoC.</summary>
    public TimeSpan DecryptShutdownDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Overrides <see cref="PasData.AutoBoot"/> when set.</summary>
    public bool? AutoBoot { get; init; }

    public bool RecoveryEnabled { get; init; } = true;
}

/// <summary>The carveouts probe read from memory-region: main [0], DTB [1], and the region_assign ones.</summary>
internal sealed record PasCarveouts(PhysRange Main, PhysRange? Dtb, IReadOnlyList<PhysRange> Assigned);

/// <summary>Live resources of one PAS remoteproc, for leak checks: all zero (domain false) once it is stopped.</summary>
public readonly record struct RprocResourceCounters(int MetadataBuffers, int IommuMappings, bool DomainAllocated, int LiveCarveoutBridges, int ScmPoolChunks)
{
    /// <summary>Nothing this remoteproc owns outlives its stop (the SCM pool is shared, so the board compares it across all).</summary>
    public bool IsClean => MetadataBuffers == 0 && IommuMappings == 0 && !DomainAllocated && LiveCarveoutBridges == 0;
}

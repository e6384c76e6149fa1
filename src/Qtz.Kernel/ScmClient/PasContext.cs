using Qtz.Soc;
using Qtz.Soc.Addressing;

namespace Qtz.Kernel.ScmClient;

/// <summary>
/// struct qcom_scm_pas_context (spec/scm-pas.md §2.4): one PAS image's id, its carveout and the
/// metadata buffer TZ keeps locked between INIT_IMAGE and AUTH_AND_RESET. <see cref="UseTzMem"/> picks
/// the metadata path: false = dma_alloc_coherent (a hypervisor bridges PIL blobs itself), true = the
/// SCM tzmem pool (Linux is the EL2 host and TZ wants the buffer inside an SHM bridge).
/// </summary>
public sealed class PasContext
{
    internal PasContext(uint pasId, PhysAddr memPhys, ulong memSize)
    {
        PasId = pasId;
        MemPhys = memPhys;
        MemSize = memSize;
    }

    public uint PasId { get; }

    public PhysAddr MemPhys { get; }

    public ulong MemSize { get; }

    /// <summary>v10's use_tzmem (v9's has_iommu): set by the driver when Linux owns the DSP's stream.</summary>
    public bool UseTzMem { get; set; }

    /// <summary>The posted keep_mdt_buf flag is implied: the PAS driver always keeps the buffer until release.</summary>
    public bool HasMetadata => DmaMetadata is not null || TzMetadata is not null;

    /// <summary>ctx->phys / ctx->size of the dma path (the tzmem path records only the pointer, as in Linux).</summary>
    public PhysRange? MetadataRange => DmaMetadata ?? TzMetadata?.Range;

    internal PhysRange? DmaMetadata { get; set; }

    internal TzMemBuffer? TzMetadata { get; set; }

    public override string ToString() => $"pas {PasId} carveout {MemPhys}+0x{MemSize:x}{(UseTzMem ? " (tzmem)" : "")}";
}

/// <summary>What the PAS client holds right now, for leak checks (all zero once every image is stopped).</summary>
public readonly record struct PasClientCounters(int LiveMetadataBuffers, int LiveCarveoutBridges, long BridgesCreated, long BridgesDeleted);

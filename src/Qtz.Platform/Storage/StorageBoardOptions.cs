using Qtz.Kernel.Mtd;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Qtz.Kernel.Mtd.Partitions;
using Qtz.Kernel.Mtd.ScmStorage;

namespace Qtz.Platform.Storage;

/// <summary>How TrustZone's storage service and the kernel's SCM storage driver treat a flash (any board that has one).</summary>
public record TzStorageOptions
{
    /// <summary>What TZ's WRITE does; the kernel driver is configured to match.</summary>
    public TzWriteSemantics WriteSemantics { get; init; } = TzWriteSemantics.Program;

    /// <summary>Both the firmware's write permission and the driver's allow_write parameter.</summary>
    public bool AllowWrite { get; init; }

    /// <summary>Let TZ serve EL2 callers (the v2 cover letter says it does not).</summary>
    public bool TzAllowsEl2 { get; init; }

    /// <summary>A <c>mtdparts=</c> string (cmdlinepart), tried before <see cref="DtPartitions"/> as in Linux.</summary>
    public string? MtdParts { get; init; }

    public FixedPartitionsNode? DtPartitions { get; init; }

    public ulong MaxBounceBytes { get; init; } = 256 << 10;

    /// <summary>The kernel's driver: ours (corrected) or the v2 series exactly as posted.</summary>
    public ScmStorageDriverVariant DriverVariant { get; init; } = ScmStorageDriverVariant.Corrected;
}

/// <summary>How to build a <see cref="StorageBoard"/>: the storage options plus what the full board would decide itself.</summary>
public sealed record StorageBoardOptions : TzStorageOptions
{
    /// <summary>1: Linux under a hypervisor (the Dragon Q6A's WP firmware); 2: Linux as KVM host.</summary>
    public int KernelExceptionLevel { get; init; } = 1;

    public int Seed { get; init; }
}

/// <summary>The flash behind TZ: a part and the bytes of its array.</summary>
public sealed record StorageFlash(NorGeometry Geometry, INorStorage Storage);

using Qtz.Firmware.Images;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.Soc.SystemMmu;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// What rproc_alloc + the driver's probe settle before rproc_add: name, firmware, how to find it, the
/// IOMMU (has_iommu, the SMMU and the `iommus` stream) and the auto-boot/recovery policy.
/// </summary>
public sealed record RprocConfig
{
    public required string Name { get; init; }

    public required string Firmware { get; init; }

    public required VirtualClock Clock { get; init; }

    /// <summary>Directories searched in order, like /lib/firmware/updates, /lib/firmware.</summary>
    public IReadOnlyList<string> FirmwareSearchPath { get; init; } = [];

    /// <summary>request_firmware override (e.g. an in-memory firmware set); default: search <see cref="FirmwareSearchPath"/>.</summary>
    public Func<string, FirmwareImage>? RequestFirmware { get; init; }

    public bool HasIommu { get; init; }

    public ArmSmmu? Smmu { get; init; }

    /// <summary>The `iommus` specifier: stream ID and SMR mask.</summary>
    public ushort StreamId { get; init; }

    public ushort StreamMask { get; init; }

    public bool AutoBoot { get; init; } = true;

    /// <summary>rproc->recovery_disabled is false by default in Linux.</summary>
    public bool RecoveryEnabled { get; init; } = true;
}

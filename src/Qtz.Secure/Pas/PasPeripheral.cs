using Qtz.Firmware.ResourceTables;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;

namespace Qtz.Secure.Pas;

/// <summary>
/// A device-memory range a DSP's firmware reaches (its resource table's RSC_DEVMEM entries, or
/// `qcom,devmem`): device address, physical address, length, permissions, name.
/// </summary>
public sealed record PasDeviceMemory(Iova DeviceAddress, PhysAddr Physical, ulong Length, AccessPermissions Permissions, string Name = "")
{
    /// <summary>Linux IOMMU_READ/IOMMU_WRITE/IOMMU_NOEXEC — the flag word of an fw_rsc_devmem entry.</summary>
    public uint IommuFlags =>
        ((Permissions & AccessPermissions.Read) != 0 ? 1u : 0)
        | ((Permissions & AccessPermissions.Write) != 0 ? 2u : 0)
        | ((Permissions & AccessPermissions.Execute) == 0 ? 8u : 0);

    public DspDeviceRange ToDspRange() => new(DeviceAddress, Length, Permissions, Name);

    public DevMemResource ToResource() => new((uint)DeviceAddress.Value, (uint)Physical.Value, (uint)Length, IommuFlags, 0, Name);
}

/// <summary>
/// What TrustZone knows about one PAS peripheral (given by the board): its PAS id, the carveout it may
/// load into, the core it releases, the VMID the carveout is locked to, the DSP's SMMU stream (for the
/// hypervisor), the SW_ID it expects (default: Qtz.Firmware's PAS table) and the device memory its
/// firmware uses (reported by GET_RSCTABLE and handed to the core at reset release). A peripheral
/// without a core is an image another DSP reads (a DTB image under its own PAS id): authenticated and
/// locked like any other, but AUTH_AND_RESET releases nothing.
/// </summary>
public sealed record PasPeripheral(uint PasId, string Name, PhysRange Carveout, DspCore? Core, Vmid Vmid)
{
    /// <summary>SMMU stream id and SMR mask of the DSP (QHEE programs them); default the core's stream, mask 0.</summary>
    public ushort StreamId { get; init; } = Core?.StreamId ?? 0;

    public ushort StreamMask { get; init; }

    /// <summary>The SW_ID INIT_IMAGE requires; null uses <see cref="Qtz.Firmware.Verification.PasSoftwareIds"/>.</summary>
    public uint? ExpectedSoftwareId { get; init; }

    public IReadOnlyList<PasDeviceMemory> DeviceMemory { get; init; } = [];

    /// <summary>Carveouts of images this DSP reads besides its own (its DTB image): mapped in its stream, touched at boot.</summary>
    public IReadOnlyList<PhysRange> CompanionCarveouts { get; init; } = [];

    /// <summary>
    /// How long after AUTH_AND_RESET TZ is still decrypting the image and answers SHUTDOWN with EINVAL_ARG
    /// (Linux: -EINVAL, which decrypt_shutdown SoCs retry). Zero: never. The real duration is UNCONFIRMED.
    /// </summary>
    public TimeSpan DecryptingAfterAuth { get; init; }

    /// <summary>
    /// A TZ that takes the image but does not implement its authentication (AUTH_AND_RESET answers
    /// NOT_SUPPORTED, Linux -EOPNOTSUPP): what the Adreno driver reads as "this target does not need a zap shader".
    /// </summary>
    public bool AuthAndResetNotSupported { get; init; }
}

using Qtz.Platform.Storage;
using Qtz.Firmware.Verification;
using Qtz.Platform.FirmwareLoader;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Pas;

namespace Qtz.Platform.Boards;

/// <summary>Where Linux runs: under QHEE at EL1 (the hypervisor maps DSP streams) or as the KVM host at EL2 (Linux maps them).</summary>
public enum KernelMode
{
    Qhee,
    Kvm,
}

/// <summary>How Linux at EL2 learns the DSPs' device memory: the merged design's GET_RSCTABLE, or the 2024 seed's <c>qcom,devmem</c>.</summary>
public enum El2Design
{
    RscTable,
    Devmem,
}

/// <summary>A named blob (a DTB or an overlay) so messages can say which file was at fault.</summary>
public sealed record NamedBlob(string Name, byte[] Bytes);

/// <summary>Everything a board is built from. Nulls mean "the embedded default".</summary>
public sealed record BoardOptions
{
    /// <summary>The base device tree; null: the embedded default board (<see cref="DefaultBoard"/>).</summary>
    public NamedBlob? Dtb { get; init; }

    /// <summary>Overlays applied in order before any automatic EL2 overlay.</summary>
    public IReadOnlyList<NamedBlob> Overlays { get; init; } = [];

    /// <summary>A /lib/firmware-like directory; null: test-signed images generated for every PAS id of the board.</summary>
    public string? FirmwareDirectory { get; init; }

    public KernelMode Mode { get; init; } = KernelMode.Qhee;

    /// <summary>The secure OS Linux's PAS calls reach: Qualcomm's TEE through SCM calls (default) or OP-TEE's PAS TA (<see cref="TeeBackend"/>).</summary>
    public TeeBackend Tee { get; init; } = TeeBackend.Qtee;

    /// <summary>The SoC tables nodes are looked up in; null: <see cref="Socs.SocCatalog.Linux"/> (Linux's whole PAS table).</summary>
    public Socs.SocCatalog? Socs { get; init; }

    public El2Design El2Design { get; init; } = El2Design.RscTable;

    /// <summary>In KVM mode, do not apply the shipped EL2 overlay even when the tree has no <c>iommus</c>.</summary>
    public bool NoEl2Overlay { get; init; }

    /// <summary>Extra trusted root hashes (SHA-384 or SHA-256 of a root certificate) burnt into the fuses.</summary>
    public IReadOnlyList<byte[]> TrustRoots { get; init; } = [];

    /// <summary>Secure-boot enforcement (on for every shipped configuration).</summary>
    public bool EnforceSecureBoot { get; init; } = true;

    /// <summary>
    /// Linux's <c>rproc->recovery_disabled</c> at probe: false, as in Linux, so a crashed DSP is stopped and
    /// reloaded. True leaves crashed processors crashed until the shell turns recovery on or recovers one.
    /// </summary>
    public bool RecoveryDisabled { get; init; }

    /// <summary>
    /// debugfs "coredump" of every remoteproc at probe: <see cref="Kernel.Remoteproc.RprocCoredumpMode.Disabled"/>,
    /// mainline's default since 2021 (recovery then takes no dump); Enabled makes every recovery keep one.
    /// </summary>
    public Kernel.Remoteproc.RprocCoredumpMode Coredump { get; init; } = Kernel.Remoteproc.RprocCoredumpMode.Disabled;

    /// <summary>
    /// Remoteprocs the bootloader starts before Linux, which Linux then attaches to (spec/socs.md §2.7); null:
    /// those whose SoC row says early_boot. Naming a DSP whose row lacks it probes it detached as well; an
    /// empty list starts none, so early_boot rows find ready low and load their firmware themselves.
    /// </summary>
    public IReadOnlyCollection<string>? LateAttach { get; init; }

    /// <summary>PAS ids this TrustZone does not serve (IS_SUPPORTED answers 0, other calls are refused): e.g. 6 for a TZ without WCNSS.</summary>
    public IReadOnlyCollection<uint> SecureOmitsPasIds { get; init; } = [];

    /// <summary>TZ answers the zap shader's AUTH_AND_RESET with NOT_SUPPORTED: a target that does not need one (Linux turns zap off quietly).</summary>
    public bool ZapShaderNotNeeded { get; init; }

    /// <summary>SET_REMOTE_STATE's id from the video drivers: 0 in mainline; the posted generic-PAS series passes 9 (UNCONFIRMED which ships).</summary>
    public uint VideoRemoteStateId { get; init; }

    /// <summary>TZ zeroes a carveout at SHUTDOWN (<see cref="Qtz.Secure.Pas.PasService.ScrubOnShutdown"/>); off: the bytes stay for coredumps.</summary>
    public bool ScrubCarveoutOnShutdown { get; init; }

    /// <summary>Changes the generated default images before boot (tests tamper with them here).</summary>
    public Action<DefaultFirmware>? CustomizeFirmware { get; init; }

    /// <summary>
    /// Ready firmware to boot (overrides <see cref="FirmwareDirectory"/> and generation): lets a caller that
    /// builds many identical boards (fuzzing, soak) sign the images once. Never changed by the board.
    /// </summary>
    public FirmwareSource? Firmware { get; init; }

    /// <summary>TrustZone's memo of signature checks (<see cref="Qtz.Secure.Pas.PasService.SignatureCache"/>); share one across boards that boot the same images. Null: the board's TZ keeps its own.</summary>
    public SignatureCheckCache? SignatureCache { get; init; }

    /// <summary>
    /// An SPI-NOR behind TrustZone's storage service, probed by the SCM storage MTD driver on the board's
    /// SCM client; null: the board has none. The board owns the storage from then on (Board.Dispose closes it).
    /// </summary>
    public StorageFlash? Flash { get; init; }

    /// <summary>How TZ and the driver treat <see cref="Flash"/> (write semantics, allow-write, partitions, bounce size).</summary>
    public TzStorageOptions FlashOptions { get; init; } = new();

    /// <summary>Keep only the most recent this-many trace events (soak runs); null: the whole trace (reports and the shell need it).</summary>
    public int? TraceCapacity { get; init; }

    /// <summary>Seed of the virtual clock and of the generated firmware contents.</summary>
    public int Seed { get; init; } = 6;
}

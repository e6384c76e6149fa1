using Qtz.Soc.Bus;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// Linux's region_assign fields: memory-region[<see cref="Index"/> .. +<see cref="Count"/>) handed to
/// <see cref="Vmid"/> through hyp-assign at probe; exclusive ones are given back at remove (spec/socs.md §2.5).
/// </summary>
public readonly record struct PasRegionAssign(int Index, int Count, bool Shared, byte Vmid)
{
    /// <summary>MAX_ASSIGN_COUNT: the driver clamps the count to it.</summary>
    public const int MaxCount = 3;

    public int ClampedCount => Math.Min(Count, MaxCount);
}

/// <summary>
/// Per-SoC descriptor of one PAS-managed remote processor (Linux's <c>struct qcom_pas_data</c>, field
/// meanings in spec/socs.md §1-§2): the driver is one piece of code, the SoCs differ only in these
/// tables. The concrete tables live with the SoCs in Qtz.Platform and are handed to the driver by compatible.
/// </summary>
public sealed record PasData
{
    public required string Compatible { get; init; }

    /// <summary>The descriptor's name in Linux (<c>sm8550_adsp_resource</c>, …): rows that share it behave alike.</summary>
    public string Descriptor { get; init; } = "";

    /// <summary>Default firmware file, overridden by the node's <c>firmware-name</c>[0].</summary>
    public required string FirmwareName { get; init; }

    public required uint PasId { get; init; }

    /// <summary>SMEM item where the firmware leaves its crash reason (read with host ANY).</summary>
    public required uint CrashReasonSmem { get; init; }

    public uint MinidumpId { get; init; }

    public bool AutoBoot { get; init; } = true;

    /// <summary>SHUTDOWN is retried every 100 ms (≤ 50 times) while TZ answers -EINVAL, i.e. is still decrypting.</summary>
    public bool DecryptShutdown { get; init; }

    public IReadOnlyList<string> ProxyPowerDomains { get; init; } = [];

    /// <summary>The QMP load_state name ("adsp", "cdsp", …).</summary>
    public string LoadState { get; init; } = "";

    public string SsrName { get; init; } = "";

    public string SysmonName { get; init; } = "";

    public uint SsctlId { get; init; }

    /// <summary>SMEM host whose hwspinlock is busted after stop (0: none).</summary>
    public uint SmemHostId { get; init; }

    /// <summary>DTB image: default name, overridden by <c>firmware-name</c>[1]; loaded into memory-region[1] with <see cref="DtbPasId"/>.</summary>
    public string? DtbFirmwareName { get; init; }

    public uint? DtbPasId { get; init; }

    /// <summary>The "lite" image UEFI may have started: SHUTDOWN at load, result ignored (never loaded by Linux).</summary>
    public uint? LitePasId { get; init; }

    public uint? LiteDtbPasId { get; init; }

    public PasRegionAssign? RegionAssign { get; init; }

    /// <summary>Probe marks the rproc DETACHED so the core attaches first (spec/socs.md §2.7).</summary>
    public bool EarlyBoot { get; init; }

    /// <summary>use_tzmem even without <c>iommus</c> (spec/socs.md §2.6).</summary>
    public bool NeedsTzMem { get; init; }

    /// <summary>Short name for logs and the board: the compatible's processor part ("adsp", "cdsp0", "mpss", …).</summary>
    public string Name => ProcessorOf(Compatible);

    /// <summary>"qcom,sm8550-adsp-pas" → "adsp"; "qcom,msm8996-adsp-pil" → "adsp".</summary>
    public static string ProcessorOf(string compatible)
    {
        ArgumentNullException.ThrowIfNull(compatible);
        var s = compatible[(compatible.IndexOf(',', StringComparison.Ordinal) + 1)..];
        var first = s.IndexOf('-', StringComparison.Ordinal);
        var last = s.LastIndexOf('-');
        return first >= 0 && last > first ? s[(first + 1)..last] : s;
    }
}

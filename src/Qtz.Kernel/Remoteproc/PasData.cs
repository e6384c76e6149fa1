namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// Per-SoC descriptor of one PAS-managed remote processor (Linux's <c>struct qcom_pas_data</c>): the
/// driver is one piece of code, the SoCs differ only in these tables. The concrete tables live with
/// the SoC in Qtz.Platform and are handed to the driver by compatible string.
/// </summary>
public sealed record PasData
{
    public required string Compatible { get; init; }

    /// <summary>Default firmware file, overridden by the node's <c>firmware-name</c>.</summary>
    public required string FirmwareName { get; init; }

    public required uint PasId { get; init; }

    /// <summary>SMEM item where the firmware leaves its crash reason (read with host ANY).</summary>
    public required uint CrashReasonSmem { get; init; }

    public uint MinidumpId { get; init; }

    public bool AutoBoot { get; init; } = true;

    public bool DecryptShutdown { get; init; }

    public IReadOnlyList<string> ProxyPowerDomains { get; init; } = [];

    /// <summary>The QMP load_state name ("adsp", "cdsp", …).</summary>
    public string LoadState { get; init; } = "";

    public string SsrName { get; init; } = "";

    public string SysmonName { get; init; } = "";

    public uint SsctlId { get; init; }

    /// <summary>DTB image support (not on SA8775p): firmware-name[1], memory-region[1], a second PAS id.</summary>
    public string? DtbFirmwareName { get; init; }

    public uint? DtbPasId { get; init; }

    /// <summary>Short name used for logs and by the board ("adsp", "cdsp0", …).</summary>
    public string Name => FirmwareName.Split('.')[0];
}

namespace Qtz.Kernel.ScmClient;

/// <summary>What the SCM driver learns from the device tree and Kconfig before it probes.</summary>
public sealed record ScmOptions
{
    /// <summary>Kconfig QCOM_TZMEM_MODE_SHMBRIDGE (the default on SA8775p) or _GENERIC.</summary>
    public TzMemMode TzMemMode { get; init; } = TzMemMode.ShmBridge;

    /// <summary>The SCM node is compatible "qcom,scm-sc7180": force ARM_64 when IS_CALL_AVAIL fails.</summary>
    public bool ForceArm64 { get; init; }

    /// <summary>The machine's top-level compatible, checked against the SHM bridge blocklist.</summary>
    public string? Machine { get; init; }

    /// <summary>The SCM pool's configuration (ON_DEMAND, 256 KiB cap).</summary>
    public TzMemPoolConfig Pool { get; init; } = TzMemPoolConfig.Scm;
}

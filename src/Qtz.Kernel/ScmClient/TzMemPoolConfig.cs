namespace Qtz.Kernel.ScmClient;

/// <summary>enum qcom_tzmem_policy: how a pool grows when it runs out.</summary>
public enum TzMemPolicy : byte
{
    /// <summary>Needs an initial size; never grows.</summary>
    Static = 1,

    /// <summary>Needs an increment; grows by current size × increment.</summary>
    Multiplier = 2,

    /// <summary>Grows by exactly what the failed allocation needed.</summary>
    OnDemand = 3,
}

/// <summary>Kconfig QCOM_TZMEM_MODE: plain DMA memory, or memory covered by SHM bridges.</summary>
public enum TzMemMode : byte
{
    Generic,
    ShmBridge,
}

/// <summary>struct qcom_tzmem_pool_config. <see cref="MaxSize"/> 0 means unbounded.</summary>
public sealed record TzMemPoolConfig(ulong InitialSize, TzMemPolicy Policy, ulong Increment = 0, ulong MaxSize = 0)
{
    /// <summary>The SCM driver's own pool: initial 0, ON_DEMAND, max SZ_256K (spec/scm-pas.md §5).</summary>
    public static TzMemPoolConfig Scm => new(0, TzMemPolicy.OnDemand, MaxSize: 256 * 1024);
}

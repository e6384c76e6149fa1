namespace Qtz.Kernel.Mtd.ScmStorage;

/// <summary>What the kernel assumes TZ's WRITE does (must match the firmware; upstream has not settled it).</summary>
public enum ScmStorageWriteSemantics : byte
{
    /// <summary>WRITE only programs (AND): a partial block is padded with 0xFF, nothing is read back.</summary>
    Program,

    /// <summary>WRITE erases each block first: the driver reads the block, ANDs the new bytes in, writes it whole.</summary>
    EraseProgram,
}

/// <summary>Which SCM storage driver runs: ours, or the series exactly as posted.</summary>
public enum ScmStorageDriverVariant : byte
{
    /// <summary>The driver with its review addressed (geometry-sized bounce buffer in a pool of its own, allow_write, AND-correct partial writes).</summary>
    Corrected,

    /// <summary>
    /// v2 as posted, call for call: every command allocates its 72-byte header plus the data from the SCM
    /// driver's own pool (on demand, at most 256 KiB), so chunks of 252 KiB and more fail with -ENOMEM;
    /// chunks of up to 256 KiB; a partial write reads the block and writes it back whole; ERASE carries a
    /// data pointer just past its header; the MTD is always writeable. What the real kernel runs.
    /// </summary>
    V2AsPosted,
}

/// <summary>The driver's module parameters.</summary>
public sealed record ScmStorageOptions
{
    /// <summary>allow_write (promised for v3 after Bjorn's review): without it the MTD is read-only (no MTD_WRITEABLE).</summary>
    public bool AllowWrite { get; init; }

    public ScmStorageWriteSemantics WriteSemantics { get; init; } = ScmStorageWriteSemantics.Program;

    /// <summary>Upper bound of the bounce buffer: the seed's 256 KiB batch size (each SMC has a high fixed cost).</summary>
    public ulong MaxBounceBytes { get; init; } = 256 << 10;

    public string Name { get; init; } = "qcom_scm_storage";

    public ScmStorageDriverVariant Variant { get; init; } = ScmStorageDriverVariant.Corrected;
}

namespace Qtz.Kernel.Mtd;

/// <summary>What the kernel assumes TZ's WRITE does (must match the firmware; upstream has not settled it).</summary>
public enum ScmStorageWriteSemantics : byte
{
    /// <summary>WRITE only programs (AND): a partial block is padded with 0xFF, nothing is read back.</summary>
    Program,

    /// <summary>WRITE erases each block first: the driver reads the block, ANDs the new bytes in, writes it whole.</summary>
    EraseProgram,
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
}

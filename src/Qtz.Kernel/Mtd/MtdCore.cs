using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Mtd;

/// <summary>
/// The mtd_* wrappers of drivers/mtd/mtdcore.c: every caller goes through these, and they make the
/// checks in exactly Linux's order (spec/mtd.md §1.4–1.6) before the driver sees the request. Return
/// values are 0 or −errno; <c>retlen</c> is zeroed first and holds what the driver transferred.
/// </summary>
public static class MtdCore
{
    /// <summary>mtd_read → mtd_read_oob with only a data buffer.</summary>
    public static int Read(MtdInfo mtd, long from, Span<byte> buffer, out ulong retlen)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        retlen = 0;
        if (!InBounds(mtd, from, (ulong)buffer.Length)) return -EINVAL;
        var ops = mtd.Master.Operations;
        if (ops.ReadOob is null && ops.Read is null) return -EOPNOTSUPP;
        // No zero-length short-circuit and no alignment check: both are the driver's business (§1.4 4–5).
        var ret = ops.Read is { } read
            ? read((ulong)from + mtd.MasterOffset, buffer, ref retlen)
            : ops.ReadOob!((ulong)from + mtd.MasterOffset, buffer, [], ref retlen);
        if (ret < 0) return ret;
        if (mtd.EccStrength == 0) return 0;
        return ret >= mtd.BitflipThreshold ? -EUCLEAN : 0;
    }

    /// <summary>mtd_write → mtd_write_oob: read-only is checked before the bounds (§1.4).</summary>
    public static int Write(MtdInfo mtd, long to, ReadOnlySpan<byte> buffer, out ulong retlen)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        retlen = 0;
        if (!mtd.IsWriteable) return -EROFS;
        if (!InBounds(mtd, to, (ulong)buffer.Length)) return -EINVAL;
        var ops = mtd.Master.Operations;
        if (ops.Write is not { } write) return -EOPNOTSUPP;
        return write((ulong)to + mtd.MasterOffset, buffer, ref retlen);
    }

    /// <summary>mtd_erase (§1.5): no alignment check here, the driver rejects a misaligned request.</summary>
    public static int Erase(MtdInfo mtd, EraseInfo instr)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        ArgumentNullException.ThrowIfNull(instr);
        instr.FailAddr = EraseInfo.FailAddrUnknown;
        var ops = mtd.Master.Operations;
        if (mtd.EraseSize == 0 || ops.Erase is not { } erase) return -ENOTSUPP;
        if (instr.Addr >= mtd.Size || instr.Len > mtd.Size - instr.Addr) return -EINVAL;
        if (!mtd.IsWriteable) return -EROFS;
        if (instr.Len == 0) return 0;
        var offset = mtd.MasterOffset;
        var adjusted = new EraseInfo(instr.Addr + offset, instr.Len);
        var ret = erase(adjusted);
        if (adjusted.FailAddr != EraseInfo.FailAddrUnknown)
            instr.FailAddr = adjusted.FailAddr - (long)offset;
        return ret;
    }

    public static int Lock(MtdInfo mtd, long offset, ulong length) => RangeOp(mtd, mtd?.Master.Operations.Lock, offset, length);

    public static int Unlock(MtdInfo mtd, long offset, ulong length) => RangeOp(mtd, mtd?.Master.Operations.Unlock, offset, length);

    /// <summary>1 locked, 0 unlocked, or −errno.</summary>
    public static int IsLocked(MtdInfo mtd, long offset, ulong length) => RangeOp(mtd, mtd?.Master.Operations.IsLocked, offset, length);

    /// <summary>mtd_block_isbad: bounds first; a device without the hook never has bad blocks.</summary>
    public static int BlockIsBad(MtdInfo mtd, long offset)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        if (offset < 0 || (ulong)offset >= mtd.Size) return -EINVAL;
        return mtd.Master.Operations.BlockIsBad is { } isBad ? isBad((ulong)offset + mtd.MasterOffset) : 0;
    }

    public static int BlockMarkBad(MtdInfo mtd, long offset)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        if (mtd.Master.Operations.BlockMarkBad is not { } markBad) return -EOPNOTSUPP;
        if (offset < 0 || (ulong)offset >= mtd.Size) return -EINVAL;
        if (!mtd.IsWriteable) return -EROFS;
        var ret = markBad((ulong)offset + mtd.MasterOffset);
        if (ret == 0)
        {
            for (var m = mtd; m is not null; m = m.Parent)
                m.EccStats = m.EccStats with { BadBlocks = m.EccStats.BadBlocks + 1 };
        }

        return ret;
    }

    public static void Sync(MtdInfo mtd) => mtd?.Master.Operations.Sync?.Invoke();

    private static int RangeOp(MtdInfo? mtd, MtdRangeHook? hook, long offset, ulong length)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        if (hook is null) return -EOPNOTSUPP;
        if (offset < 0 || (ulong)offset >= mtd.Size || length > mtd.Size - (ulong)offset) return -EINVAL;
        if (length == 0) return 0;
        return hook((ulong)offset + mtd.MasterOffset, length);
    }

    // from < 0 or from + len > size, written so the sum cannot wrap.
    private static bool InBounds(MtdInfo mtd, long from, ulong len) =>
        from >= 0 && (ulong)from <= mtd.Size && len <= mtd.Size - (ulong)from;
}

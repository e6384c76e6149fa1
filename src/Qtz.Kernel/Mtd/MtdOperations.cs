namespace Qtz.Kernel.Mtd;

/// <summary>_read: returns the maximum bitflips seen in any ECC step (≥ 0) or −errno; adds what it read to retlen.</summary>
public delegate int MtdReadHook(ulong from, Span<byte> buffer, ref ulong retlen);

/// <summary>_write: returns 0 or −errno; adds what it wrote to retlen.</summary>
public delegate int MtdWriteHook(ulong to, ReadOnlySpan<byte> buffer, ref ulong retlen);

/// <summary>_erase: synchronous; returns 0 or −errno and may set <see cref="EraseInfo.FailAddr"/>.</summary>
public delegate int MtdEraseHook(EraseInfo instr);

/// <summary>_read_oob / _write_oob presence (NOR never provides them; registration rules look at them).</summary>
public delegate int MtdOobHook(ulong at, Span<byte> data, Span<byte> oob, ref ulong retlen);

/// <summary>_lock / _unlock: 0 or −errno; _is_locked: 1, 0 or −errno.</summary>
public delegate int MtdRangeHook(ulong offset, ulong length);

/// <summary>_block_isbad / _block_markbad.</summary>
public delegate int MtdBlockHook(ulong offset);

/// <summary>
/// A driver's hooks (the function pointers in struct mtd_info). Callers never use them directly:
/// they go through <see cref="MtdCore"/>, which makes the checks in Linux's order first.
/// </summary>
public sealed class MtdOperations
{
    public MtdReadHook? Read { get; init; }

    public MtdWriteHook? Write { get; init; }

    public MtdEraseHook? Erase { get; init; }

    public MtdOobHook? ReadOob { get; init; }

    public MtdOobHook? WriteOob { get; init; }

    public MtdRangeHook? Lock { get; init; }

    public MtdRangeHook? Unlock { get; init; }

    public MtdRangeHook? IsLocked { get; init; }

    public MtdBlockHook? BlockIsBad { get; init; }

    public MtdBlockHook? BlockMarkBad { get; init; }

    public Action? Sync { get; init; }
}

namespace Qtz.Soc.SystemMmu;

/// <summary>How one SMMU instance is built: what its ID registers advertise.</summary>
public sealed record SmmuOptions
{
    /// <summary>ID0.NUMSMRG: stream match register groups (SMR + S2CR pairs).</summary>
    public int StreamMatchGroups { get; init; } = 64;

    /// <summary>ID1.NUMCB: context banks (all stage-1 capable here).</summary>
    public int ContextBanks { get; init; } = 32;

    /// <summary>ID2.UBS: the widest input address (IOVA) the SMMU accepts.</summary>
    public int InputAddressBits { get; init; } = 48;

    /// <summary>ID2.IAS/OAS: the widest output (physical) address a stage-1 walk may produce.</summary>
    public int OutputAddressBits { get; init; } = 48;

    /// <summary>
    /// sCR0.CLIENTPD after reset. Real parts come out of reset with client ports disabled (every stream
    /// bypasses) until software enables translation.
    /// </summary>
    public bool ClientBypassAtReset { get; init; } = true;

    /// <summary>Fourth-level (4 KiB) TLB entries per context bank; a power of two.</summary>
    public int TlbPageEntries { get; init; } = 4096;

    internal void Validate()
    {
        if (StreamMatchGroups is < 1 or > 128)
            throw new ArgumentOutOfRangeException(nameof(StreamMatchGroups), $"{StreamMatchGroups} stream match groups: an SMMU-500 has 1..128");
        if (ContextBanks is < 1 or > 128)
            throw new ArgumentOutOfRangeException(nameof(ContextBanks), $"{ContextBanks} context banks: an SMMU-500 has 1..128");
        if (TlbPageEntries < 16 || (TlbPageEntries & (TlbPageEntries - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(TlbPageEntries), $"{TlbPageEntries} TLB entries: expected a power of two ≥ 16");
        SmmuRegisters.EncodeAddressBits(InputAddressBits);
        SmmuRegisters.EncodeAddressBits(OutputAddressBits);
        if (InputAddressBits > 48 || OutputAddressBits > 48)
            throw new ArgumentOutOfRangeException(nameof(InputAddressBits), "with a 4 KiB granule addresses are at most 48 bits");
    }

    /// <summary>Register pages in the global space (NUMPAGE); context bank n lives at page NUMPAGE + n.</summary>
    internal int GlobalPages => Math.Max(2, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)ContextBanks));

    /// <summary>Bytes of register space: the global half and the context-bank half.</summary>
    public ulong WindowSize => (ulong)GlobalPages * 2 * SmmuRegisters.PageSize;
}

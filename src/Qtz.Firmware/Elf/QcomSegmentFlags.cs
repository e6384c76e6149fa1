namespace Qtz.Firmware.Elf;

/// <summary>Bits 24–26 of p_flags: what the segment is to the Qualcomm boot chain.</summary>
public enum QcomSegmentType
{
    L4 = 0,
    Amss = 1,
    Hash = 2,
    Boot = 3,
    L4Bsp = 4,
    Swapped = 5,
    SwapPool = 6,
    Phdr = 7,
}

/// <summary>Bits 21–23 of p_flags: access type. NOTUSED and SHARED segments are not hashed.</summary>
public enum QcomAccessType
{
    ReadWrite = 0,
    ReadOnly = 1,
    ZeroInit = 2,
    NotUsed = 3,
    Shared = 4,
    Reserved5 = 5,
    Reserved6 = 6,
    ReadWriteExecute = 7,
}

/// <summary>Decodes the Qualcomm bits of p_flags (coreboot mbn_tools.py, Linux mdt_loader.h).</summary>
public readonly record struct QcomSegmentFlags(uint Raw)
{
    public const uint TypeMask = 0x07000000;
    public const uint TypeHash = 0x02000000;
    public const uint TypePhdr = 0x07000000;
    public const uint Relocatable = 0x08000000;
    public const uint PagedBit = 0x00100000;
    public const uint AccessMask = 0x00E00000;

    public bool Readable => (Raw & 4) != 0;
    public bool Writable => (Raw & 2) != 0;
    public bool Executable => (Raw & 1) != 0;
    public QcomSegmentType SegmentType => (QcomSegmentType)((Raw >> 24) & 7);
    public QcomAccessType AccessType => (QcomAccessType)((Raw >> 21) & 7);
    public bool IsPaged => (Raw & PagedBit) != 0;
    public bool IsRelocatable => (Raw & Relocatable) != 0;
    public bool IsHash => (Raw & TypeMask) == TypeHash;

    /// <summary>Bits not covered by a known field (bit 31 appears on venus images; meaning unknown).</summary>
    public uint UnknownBits => Raw & ~(0x7u | PagedBit | AccessMask | TypeMask | Relocatable);

    /// <summary>Segments the hash table does not cover (coreboot and OP-TEE skip them).</summary>
    public bool IsExcludedFromHashing => IsPaged || AccessType is QcomAccessType.NotUsed or QcomAccessType.Shared;

    public override string ToString()
    {
        var rwx = $"{(Readable ? 'R' : '-')}{(Writable ? 'W' : '-')}{(Executable ? 'X' : '-')}";
        var extra = (IsPaged ? " paged" : "") + (IsRelocatable ? " relocatable" : "") + (UnknownBits != 0 ? $" unknown=0x{UnknownBits:X}" : "");
        return $"{rwx} {SegmentType} {AccessType}{extra}";
    }
}

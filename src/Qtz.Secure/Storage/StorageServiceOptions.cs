namespace Qtz.Secure.Storage;

/// <summary>
/// What a TZ WRITE does (spec/mtd.md §5.5, UNCONFIRMED upstream): only program (the stored bits become
/// old AND new, as on the NOR itself), or erase each block first and then program (block replace).
/// </summary>
public enum TzWriteSemantics : byte
{
    Program,
    EraseProgram,
}

/// <summary>The storage service's configuration: the firmware build's choices.</summary>
public sealed record StorageServiceOptions
{
    public TzWriteSemantics WriteSemantics { get; init; } = TzWriteSemantics.Program;

    /// <summary>WRITE and ERASE answer READONLY (9) unless this is set (the review asked for read-only by default).</summary>
    public bool AllowWrites { get; init; }

    /// <summary>
    /// Serve callers at EL2 (Linux as KVM host). Off by default: the v2 cover letter says access is
    /// denied at EL2, and the reported symptom is GET_INFO failing with -EINVAL, so the service answers
    /// INVALID_PARAMETER (2) to every EL2 call.
    /// </summary>
    public bool AllowEl2Callers { get; init; }

    /// <summary>GET_INFO's serial_num (the Dragon Q6A reported 1663215).</summary>
    public ulong SerialNumber { get; init; } = 1_663_215;
}

namespace Qtz.Secure.Pas;

/// <summary>
/// The service-level codes PAS answers with x0 = 0 and the code in x1 (Linux reads <c>ret ?: result[0]</c>,
/// spec/scm-pas.md §10.3). The numbers are qtz decisions (QTEE's own are UNCONFIRMED); Linux only tests
/// for non-zero. Malformed calls are transport errors instead: an unknown PAS id answers x0 =
/// EINVAL_ARG (-2), a metadata buffer that breaks the buffer rules x0 = EINVAL_ADDR (-3).
/// </summary>
public static class PasErrors
{
    public const ulong None = 0;

    /// <summary>The call came in the wrong order for this PAS id's state (§2.5).</summary>
    public const ulong WrongState = 1;

    /// <summary>The metadata is not a well-formed ELF header + phdrs + hash segment.</summary>
    public const ulong MalformedMetadata = 2;

    /// <summary>Chain, image signature or ELF-header hash did not verify.</summary>
    public const ulong AuthenticationFailed = 3;

    /// <summary>The root certificate's hash is not among the fused trusted roots.</summary>
    public const ulong UntrustedRoot = 4;

    /// <summary>The image's SW_ID is not the one this PAS id expects.</summary>
    public const ulong WrongSoftwareId = 5;

    /// <summary>The image's anti-rollback version is below the fused floor.</summary>
    public const ulong RollbackRefused = 6;

    /// <summary>MEM_SETUP or the image window does not fit the carveout, or the entry point is outside it.</summary>
    public const ulong BadMemoryLayout = 7;

    /// <summary>A loaded segment does not hash to its hash-table entry.</summary>
    public const ulong SegmentHashMismatch = 8;

    /// <summary>At EL2 (bridges enabled) AUTH_AND_RESET needs a live SHM bridge over the image window.</summary>
    public const ulong CarveoutNotBridged = 9;

    /// <summary>MSS_RESET on a board without a modem.</summary>
    public const ulong NoModem = 10;

    /// <summary>GET_RSCTABLE: RSCTABLE_BUFFER_NOT_SUFFICIENT (in x2, with x0 = EINVAL_ARG and the size in x3).</summary>
    public const ulong BufferNotSufficient = 20;

    public static string Name(ulong code) => code switch
    {
        None => "OK",
        WrongState => "WRONG_STATE",
        MalformedMetadata => "MALFORMED_METADATA",
        AuthenticationFailed => "AUTH_FAILED",
        UntrustedRoot => "UNTRUSTED_ROOT",
        WrongSoftwareId => "WRONG_SW_ID",
        RollbackRefused => "ROLLBACK",
        BadMemoryLayout => "BAD_MEMORY_LAYOUT",
        SegmentHashMismatch => "SEGMENT_HASH_MISMATCH",
        CarveoutNotBridged => "CARVEOUT_NOT_BRIDGED",
        NoModem => "NO_MODEM",
        BufferNotSufficient => "BUFFER_NOT_SUFFICIENT",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Secure.Scm;
using Qtz.Secure.Pas;

namespace Qtz.Secure.Tee;

/// <summary>A TA parameter's kind as a TA checks it (TEE_PARAM_TYPE_*): memrefs are memrefs, whichever way the normal world passed them.</summary>
public enum TaParamType : byte
{
    None,
    ValueInput,
    ValueOutput,
    ValueInout,
    MemrefInput,
    MemrefOutput,
    MemrefInout,
}

/// <summary>
/// One invoke parameter as the secure OS hands it to a TA: values, or a memref resolved to non-secure
/// physical memory (registered shm + offset, or a temporary buffer; <see cref="Buffer"/> null for a null
/// memref). Output values and <see cref="Size"/> are written back into the message after the call.
/// </summary>
public sealed class TaParam
{
    public TaParamType Type { get; init; }

    public ulong A { get; set; }

    public ulong B { get; set; }

    public ulong C { get; set; }

    public PhysAddr? Buffer { get; init; }

    public ulong Size { get; set; }

    public bool IsMemref => Type is TaParamType.MemrefInput or TaParamType.MemrefOutput or TaParamType.MemrefInout;

    public static TaParamType TypeOf(OpteeParamType type) => type switch
    {
        OpteeParamType.ValueInput => TaParamType.ValueInput,
        OpteeParamType.ValueOutput => TaParamType.ValueOutput,
        OpteeParamType.ValueInout => TaParamType.ValueInout,
        OpteeParamType.RmemInput or OpteeParamType.TmemInput => TaParamType.MemrefInput,
        OpteeParamType.RmemOutput or OpteeParamType.TmemOutput => TaParamType.MemrefOutput,
        OpteeParamType.RmemInout or OpteeParamType.TmemInout => TaParamType.MemrefInout,
        _ => TaParamType.None,
    };

    public override string ToString() => Type switch
    {
        TaParamType.None => "none",
        TaParamType.ValueInput or TaParamType.ValueOutput or TaParamType.ValueInout => $"{Type}(0x{A:x}, 0x{B:x})",
        _ => $"{Type}({(Buffer is { } b ? b.ToString() : "null")}, 0x{Size:x})",
    };
}

/// <summary>A trusted application behind the secure OS: its UUID, who may open it, and its commands.</summary>
public interface ITrustedApplication
{
    /// <summary>The 16 UUID bytes in uuid_t order.</summary>
    ReadOnlySpan<byte> Uuid { get; }

    /// <summary>A short name for traces ("PAS").</summary>
    string Name { get; }

    /// <summary>TA_OpenSessionEntryPoint: a TEE result (success lets the session open).</summary>
    uint OpenSession(uint login);

    /// <summary>TA_InvokeCommandEntryPoint: a TEE result; outputs go into <paramref name="parameters"/>.</summary>
    uint Invoke(uint function, IReadOnlyList<TaParam> parameters);

    /// <summary>The command and its inputs as a trace reads them ("AUTH_AND_RESET pas_id=1 ...").</summary>
    string Describe(uint function, IReadOnlyList<TaParam> parameters);
}

/// <summary>One message the secure OS handled, decoded for the trace.</summary>
public readonly record struct OpteeEvent(VirtualTime Time, string Command, string? Ta, string? Detail, uint Ret, uint Origin)
{
    public bool Ok => Ret == TeeResult.Success;

    /// <summary>"invoke PAS AUTH_AND_RESET pas_id=0x1 ... -> TEE_SUCCESS".</summary>
    public override string ToString() =>
        $"{Command}{(Ta is null ? "" : " " + Ta)}{(Detail is null ? "" : " " + Detail)} -> {TeeResult.Name(Ret)}{(Ok ? "" : $" (origin {Origin})")}";
}

using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tee;

/// <summary>TEE_IOCTL_PARAM_ATTR_TYPE_*: the four kinds a kernel TEE client passes (values and memrefs, in/out/inout).</summary>
public enum TeeParamType : byte
{
    None = 0,
    ValueInput = 1,
    ValueOutput = 2,
    ValueInout = 3,
    MemrefInput = 5,
    MemrefOutput = 6,
    MemrefInout = 7,
}

/// <summary>
/// struct tee_param: a value (a, b, c) or a memory reference (shared memory, offset, size). Output values
/// and a memref's size come back in place after the invoke, as in Linux. A memref without
/// <see cref="Shm"/> is a null reference: only its size travels (the TA answers with the size it needs).
/// </summary>
public sealed class TeeParam
{
    public TeeParamType Type { get; init; }

    public ulong A { get; set; }

    public ulong B { get; set; }

    public ulong C { get; set; }

    public TeeShm? Shm { get; init; }

    public ulong Offset { get; init; }

    public ulong Size { get; set; }

    public bool IsValue => Type is TeeParamType.ValueInput or TeeParamType.ValueOutput or TeeParamType.ValueInout;

    public bool IsMemref => Type is TeeParamType.MemrefInput or TeeParamType.MemrefOutput or TeeParamType.MemrefInout;

    public static TeeParam None => new();

    public static TeeParam ValueIn(ulong a, ulong b = 0) => new() { Type = TeeParamType.ValueInput, A = a, B = b };

    public static TeeParam ValueOut() => new() { Type = TeeParamType.ValueOutput };

    public static TeeParam Memref(TeeParamType type, TeeShm? shm, ulong size) => new() { Type = type, Shm = shm, Size = size };

    /// <summary>What optee_to_msg_param puts on the wire: values as they are, registered shm as RMEM, a null memref as TMEM with buf_ptr 0.</summary>
    internal OpteeMsgParam ToMsg()
    {
        if (IsValue) return new OpteeMsgParam((ulong)Type, A, B, C);
        if (!IsMemref) return new OpteeMsgParam((ulong)OpteeParamType.None, 0, 0, 0);
        var direction = (ulong)Type - (ulong)TeeParamType.MemrefInput;
        return Shm is { } shm
            ? new OpteeMsgParam((ulong)OpteeParamType.RmemInput + direction, Offset, Size, shm.Cookie)
            : new OpteeMsgParam((ulong)OpteeParamType.TmemInput + direction, 0, Size, 0);
    }

    /// <summary>optee_from_msg_param: output values and memref sizes come back; inputs are left alone.</summary>
    internal void FromMsg(OpteeMsgParam p)
    {
        if (Type is TeeParamType.ValueOutput or TeeParamType.ValueInout)
        {
            A = p.A;
            B = p.B;
            C = p.C;
        }
        else if (Type is TeeParamType.MemrefOutput or TeeParamType.MemrefInout)
        {
            Size = p.B;
        }
    }
}

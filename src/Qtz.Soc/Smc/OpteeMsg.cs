using System.Buffers.Binary;
using Qtz.Soc.Addressing;

namespace Qtz.Soc.Smc;

/// <summary>
/// OP-TEE's normal-world message ABI (optee_smc.h, optee_msg.h): the facts both worlds share, as
/// <see cref="ScmCatalog"/> is for SCM. Linux's OP-TEE driver writes a <c>struct optee_msg_arg</c> into
/// non-secure memory and issues OPTEE_SMC_CALL_WITH_ARG with its physical address split over x1 (high
/// 32 bits) and x2 (low 32 bits); the secure OS answers in x0 and in the message itself.
/// </summary>
public static class OpteeMsg
{
    /// <summary>OPTEE_SMC_CALL_WITH_ARG: a yielding SMC32 call owned by the trusted OS (owner 50), function 4.</summary>
    public static readonly FunctionId CallWithArg = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc32, SmcOwner.TrustedOs, 0, 4);

    /// <summary>OPTEE_SMC_RETURN_OK.</summary>
    public const ulong ReturnOk = 0x0;

    /// <summary>OPTEE_SMC_RETURN_EBADADDR: the message is not where the secure OS can read it.</summary>
    public const ulong ReturnBadAddress = 0x4;

    /// <summary>OPTEE_SMC_RETURN_EBADCMD: the message's cmd or parameter count is not one it knows.</summary>
    public const ulong ReturnBadCommand = 0x5;

    public const uint CmdOpenSession = 0;
    public const uint CmdInvokeCommand = 1;
    public const uint CmdCloseSession = 2;
    public const uint CmdRegisterShm = 4;
    public const uint CmdUnregisterShm = 5;

    /// <summary>Bytes of the header: cmd, func, session, cancel_id, pad, ret, ret_origin, num_params (u32 each).</summary>
    public const int HeaderSize = 32;

    /// <summary>Bytes of one parameter: attr (u64) and three u64 (value a/b/c, or buf_ptr/offs, size, shm_ref).</summary>
    public const int ParamSize = 32;

    /// <summary>The most parameters qtz's secure OS reads in one message (2 meta + 4 for an open session).</summary>
    public const int MaxParams = 6;

    /// <summary>OPTEE_MSG_ATTR_META: the parameter carries session data (TA UUID, login), not a TA argument.</summary>
    public const ulong AttrMeta = 1UL << 8;

    public const ulong AttrTypeMask = 0xFF;

    /// <summary>OPTEE_MSG_GET_ARG_SIZE.</summary>
    public static int ArgSize(int parameters) => HeaderSize + parameters * ParamSize;

    /// <summary>The message's physical address as Linux splits it (reg_pair_from_64: x1 high, x2 low).</summary>
    public static PhysAddr ArgAddress(in SmcCall call) => new(((call.X1 & 0xFFFF_FFFF) << 32) | (call.X2 & 0xFFFF_FFFF));

    /// <summary>A whole <c>struct optee_msg_arg</c>: header, then the parameters (num_params is taken from their count).</summary>
    public static byte[] Encode(OpteeMsgHeader header, ReadOnlySpan<OpteeMsgParam> parameters)
    {
        var message = new byte[ArgSize(parameters.Length)];
        (header with { NumParams = (uint)parameters.Length }).WriteTo(message);
        for (var i = 0; i < parameters.Length; i++) parameters[i].WriteTo(message.AsSpan(HeaderSize + i * ParamSize));
        return message;
    }

    /// <summary>The parameters of a message whose header said <paramref name="count"/>; the span must hold <see cref="ArgSize"/>(count) bytes.</summary>
    public static OpteeMsgParam[] DecodeParams(ReadOnlySpan<byte> message, int count)
    {
        if (count < 0 || message.Length < ArgSize(count)) throw new ArgumentException($"an optee_msg_arg with {count} params needs {ArgSize(Math.Max(count, 0))} bytes, got {message.Length}", nameof(message));
        var parameters = new OpteeMsgParam[count];
        for (var i = 0; i < count; i++) parameters[i] = OpteeMsgParam.Parse(message[(HeaderSize + i * ParamSize)..]);
        return parameters;
    }

    public static string CommandName(uint cmd) => cmd switch
    {
        CmdOpenSession => "OPEN_SESSION",
        CmdInvokeCommand => "INVOKE",
        CmdCloseSession => "CLOSE_SESSION",
        CmdRegisterShm => "REGISTER_SHM",
        CmdUnregisterShm => "UNREGISTER_SHM",
        _ => "CMD_" + cmd.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>OPTEE_MSG_ATTR_TYPE_*: how a parameter is passed (the TEE client API's numbering is the same for values and registered memory).</summary>
public enum OpteeParamType : byte
{
    None = 0x0,
    ValueInput = 0x1,
    ValueOutput = 0x2,
    ValueInout = 0x3,
    /// <summary>Registered memory: (offset, size, shm_ref).</summary>
    RmemInput = 0x5,
    RmemOutput = 0x6,
    RmemInout = 0x7,
    /// <summary>Temporary memory by physical address: (buf_ptr, size, shm_ref); a null buf_ptr is a null memref.</summary>
    TmemInput = 0x9,
    TmemOutput = 0xA,
    TmemInout = 0xB,
}

/// <summary>One <c>struct optee_msg_param</c>: attr and three words whose meaning depends on the type.</summary>
public readonly record struct OpteeMsgParam(ulong Attr, ulong A, ulong B, ulong C)
{
    public OpteeParamType Type => (OpteeParamType)(Attr & OpteeMsg.AttrTypeMask);

    public bool IsMeta => (Attr & OpteeMsg.AttrMeta) != 0;

    public bool IsValue => Type is OpteeParamType.ValueInput or OpteeParamType.ValueOutput or OpteeParamType.ValueInout;

    public bool IsRmem => Type is OpteeParamType.RmemInput or OpteeParamType.RmemOutput or OpteeParamType.RmemInout;

    public bool IsTmem => Type is OpteeParamType.TmemInput or OpteeParamType.TmemOutput or OpteeParamType.TmemInout;

    public static OpteeMsgParam Parse(ReadOnlySpan<byte> p) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(p),
        BinaryPrimitives.ReadUInt64LittleEndian(p[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(p[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(p[24..]));

    public void WriteTo(Span<byte> p)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(p, Attr);
        BinaryPrimitives.WriteUInt64LittleEndian(p[8..], A);
        BinaryPrimitives.WriteUInt64LittleEndian(p[16..], B);
        BinaryPrimitives.WriteUInt64LittleEndian(p[24..], C);
    }
}

/// <summary>The header of <c>struct optee_msg_arg</c>.</summary>
public readonly record struct OpteeMsgHeader(uint Cmd, uint Func, uint Session, uint CancelId, uint Ret, uint RetOrigin, uint NumParams)
{
    public static OpteeMsgHeader Parse(ReadOnlySpan<byte> h) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(h),
        BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(h[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(h[12..]),
        BinaryPrimitives.ReadUInt32LittleEndian(h[20..]),
        BinaryPrimitives.ReadUInt32LittleEndian(h[24..]),
        BinaryPrimitives.ReadUInt32LittleEndian(h[28..]));

    public void WriteTo(Span<byte> h)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(h, Cmd);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], Func);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], Session);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], CancelId);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], Ret);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], RetOrigin);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], NumParams);
    }
}

/// <summary>GlobalPlatform TEE result codes and origins the PAS path uses (tee_client_api.h / tee.h).</summary>
public static class TeeResult
{
    public const uint Success = 0x0000_0000;
    public const uint Generic = 0xFFFF_0000;
    public const uint AccessDenied = 0xFFFF_0001;
    public const uint BadFormat = 0xFFFF_0005;
    public const uint BadParameters = 0xFFFF_0006;
    public const uint BadState = 0xFFFF_0007;
    public const uint ItemNotFound = 0xFFFF_0008;
    public const uint NotSupported = 0xFFFF_000A;
    public const uint OutOfMemory = 0xFFFF_000C;
    public const uint Security = 0xFFFF_000F;
    public const uint ShortBuffer = 0xFFFF_0010;

    public const uint OriginApi = 1;
    public const uint OriginComms = 2;
    public const uint OriginTee = 3;
    public const uint OriginTrustedApp = 4;

    /// <summary>TEE_IOCTL_LOGIN_*: who opens a session. REE_KERNEL is the Linux kernel itself.</summary>
    public const uint LoginPublic = 0;
    public const uint LoginUser = 1;
    public const uint LoginReeKernel = 0x8000_0000;

    public static string Name(uint result) => result switch
    {
        Success => "TEE_SUCCESS",
        Generic => "TEE_ERROR_GENERIC",
        AccessDenied => "TEE_ERROR_ACCESS_DENIED",
        BadFormat => "TEE_ERROR_BAD_FORMAT",
        BadParameters => "TEE_ERROR_BAD_PARAMETERS",
        BadState => "TEE_ERROR_BAD_STATE",
        ItemNotFound => "TEE_ERROR_ITEM_NOT_FOUND",
        NotSupported => "TEE_ERROR_NOT_SUPPORTED",
        OutOfMemory => "TEE_ERROR_OUT_OF_MEMORY",
        Security => "TEE_ERROR_SECURITY",
        ShortBuffer => "TEE_ERROR_SHORT_BUFFER",
        _ => "0x" + result.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The PAS trusted application's identity and command ids (spec/socs.md §4.4; OP-TEE pta_qcom_pas.h).</summary>
public static class QcomPasTa
{
    /// <summary>The TA's UUID, cff7d191-7ca0-4784-af13-48223b9a4fbe, in the byte order uuid_t holds it.</summary>
    public static ReadOnlySpan<byte> Uuid => [0xcf, 0xf7, 0xd1, 0x91, 0x7c, 0xa0, 0x47, 0x84, 0xaf, 0x13, 0x48, 0x22, 0x3b, 0x9a, 0x4f, 0xbe];

    public const string UuidText = "cff7d191-7ca0-4784-af13-48223b9a4fbe";

    public const uint IsSupported = 1;
    public const uint Capabilities = 2;
    public const uint InitImage = 3;
    public const uint MemSetup = 4;
    public const uint GetResourceTable = 5;
    public const uint AuthAndReset = 6;
    public const uint SetRemoteState = 7;
    public const uint Shutdown = 8;

    /// <summary>The PTA's remote states: OFFLINE, LOADED (INIT_IMAGE done), RUNNING.</summary>
    public const uint StateOffline = 0;
    public const uint StateLoaded = 1;
    public const uint StateRunning = 2;

    public static string CommandName(uint func) => func switch
    {
        IsSupported => "IS_SUPPORTED",
        Capabilities => "CAPABILITIES",
        InitImage => "INIT_IMAGE",
        MemSetup => "MEM_SETUP",
        GetResourceTable => "GET_RESOURCE_TABLE",
        AuthAndReset => "AUTH_AND_RESET",
        SetRemoteState => "SET_REMOTE_STATE",
        Shutdown => "SHUTDOWN",
        _ => "CMD_" + func.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

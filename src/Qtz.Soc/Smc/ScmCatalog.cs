using System.Globalization;

namespace Qtz.Soc.Smc;

/// <summary>One known SCM call: its ids, its names from qcom_scm.h and the arginfo Linux documents for it.</summary>
public sealed record ScmCallInfo(byte Service, byte Command, string ServiceName, string CommandName, ArgInfo? DocumentedArgInfo, bool Atomic = false)
{
    /// <summary>"PIL.PAS_INIT_IMAGE".</summary>
    public string Name => ServiceName + "." + CommandName;

    /// <summary>The function ID Linux issues for this call under <paramref name="convention"/> (FAST for atomic calls).</summary>
    public FunctionId FunctionId(SmcConvention convention = SmcConvention.Smc64) =>
        global::Qtz.Soc.Smc.FunctionId.Create(Atomic ? SmcCallType.Fast : SmcCallType.Std, convention, SmcOwner.Sip, Service, Command);
}

/// <summary>
/// The SCM ABI's name table (spec/scm-pas.md §1.9, §2.1, §3.1): the service and command ids both
/// worlds agree on, like a uapi header. It lives beside the conduit so the trace, the secure
/// dispatcher, the kernel client and the <c>qtz</c> tool all name calls the same way.
/// </summary>
public static class ScmCatalog
{
    public const byte Boot = 0x01;
    public const byte Pil = 0x02;
    public const byte Io = 0x05;
    public const byte Info = 0x06;
    public const byte Mp = 0x0C;
    public const byte Storage = 0x1A;
    public const byte Waitq = 0x24;

    public const byte IsCallAvailable = 0x01;

    /// <summary>BOOT's SET_REMOTE_STATE (qcom_scm_set_remote_state: state, id).</summary>
    public const byte BootSetRemoteState = 0x0A;

    /// <summary>PIL (peripheral authentication) commands, qcom_scm.h QCOM_SCM_PIL_PAS_*.</summary>
    public const byte PilInitImage = 0x01;
    public const byte PilMemSetup = 0x02;
    public const byte PilAuthAndReset = 0x05;
    public const byte PilShutdown = 0x06;
    public const byte PilIsSupported = 0x07;
    public const byte PilMssReset = 0x0A;
    public const byte PilInitImageV2 = 0x1A;
    public const byte PilGetRscTable = 0x21;

    /// <summary>MP commands both worlds name: video content protection, hyp-assign and the SHM bridge calls.</summary>
    public const byte MpVideoVar = 0x08;
    public const byte MpAssign = 0x16;
    public const byte MpShmBridgeEnable = 0x1C;
    public const byte MpShmBridgeDelete = 0x1D;
    public const byte MpShmBridgeCreate = 0x1E;

    // Plain int/string-keyed dictionaries: frozen or value-type-keyed ones cost milliseconds of JIT per process.
    private static readonly Dictionary<int, string> ServiceNames = new()
    {
        [Boot] = "BOOT", [Pil] = "PIL", [Io] = "IO", [Info] = "INFO", [Mp] = "MP", [0x0F] = "OCMEM", [0x10] = "ES",
        [0x11] = "HDCP", [0x13] = "LMH", [0x15] = "SMMU_PROGRAM", [Storage] = "STORAGE", [Waitq] = "WAITQ", [0x28] = "GPU",
    };

    private static readonly ScmCallInfo[] AllCalls =
    [
        new(Boot, 0x01, "BOOT", "SET_ADDR", null, Atomic: true),
        new(Boot, 0x02, "BOOT", "TERMINATE_PC", null, Atomic: true),
        new(Boot, 0x09, "BOOT", "SDI_CONFIG", null),
        new(Boot, 0x0A, "BOOT", "SET_REMOTE_STATE", ArgInfo.Values(2)),
        new(Boot, 0x10, "BOOT", "SET_DLOAD_MODE", null, Atomic: true),
        new(Boot, 0x11, "BOOT", "SET_ADDR_MC", null),
        new(Pil, PilInitImage, "PIL", "PAS_INIT_IMAGE", ArgInfo.Of(ScmArgType.Val, ScmArgType.Rw)),
        new(Pil, PilMemSetup, "PIL", "PAS_MEM_SETUP", ArgInfo.Values(3)),
        new(Pil, PilAuthAndReset, "PIL", "PAS_AUTH_AND_RESET", ArgInfo.Values(1)),
        new(Pil, PilShutdown, "PIL", "PAS_SHUTDOWN", ArgInfo.Values(1)),
        new(Pil, PilIsSupported, "PIL", "PAS_IS_SUPPORTED", ArgInfo.Values(1)),
        new(Pil, PilMssReset, "PIL", "PAS_MSS_RESET", ArgInfo.Values(2)),
        new(Pil, PilInitImageV2, "PIL", "PAS_INIT_IMAGE_V2", ArgInfo.Of(ScmArgType.Val, ScmArgType.Rw, ScmArgType.Val)),
        new(Pil, PilGetRscTable, "PIL", "PAS_GET_RSCTABLE", ArgInfo.Of(ScmArgType.Val, ScmArgType.Ro, ScmArgType.Val, ScmArgType.Rw, ScmArgType.Val)),
        new(Io, 0x01, "IO", "IO_READ", null, Atomic: true),
        new(Io, 0x02, "IO", "IO_WRITE", null, Atomic: true),
        new(Info, IsCallAvailable, "INFO", "IS_CALL_AVAIL", ArgInfo.Values(1)),
        new(Mp, 0x02, "MP", "RESTORE_SEC_CFG", null),
        new(Mp, 0x03, "MP", "IOMMU_SECURE_PTBL_SIZE", null),
        new(Mp, 0x04, "MP", "IOMMU_SECURE_PTBL_INIT", null),
        new(Mp, 0x05, "MP", "IOMMU_SET_CP_POOL_SIZE", null),
        new(Mp, 0x08, "MP", "VIDEO_VAR", ArgInfo.Values(4)),
        new(Mp, MpAssign, "MP", "ASSIGN", ArgInfo.Of(ScmArgType.Ro, ScmArgType.Val, ScmArgType.Ro, ScmArgType.Val, ScmArgType.Ro, ScmArgType.Val, ScmArgType.Val)),
        new(Mp, 0x1B, "MP", "CP_SMMU_APERTURE_ID", null),
        new(Mp, MpShmBridgeEnable, "MP", "SHM_BRIDGE_ENABLE", ArgInfo.None),
        new(Mp, MpShmBridgeDelete, "MP", "SHM_BRIDGE_DELETE", ArgInfo.Values(1)),
        new(Mp, MpShmBridgeCreate, "MP", "SHM_BRIDGE_CREATE", ArgInfo.Values(4)),
        new(Storage, 0x01, "STORAGE", "STORAGE_CMD", ArgInfo.Of(ScmArgType.Ro, ScmArgType.Val, ScmArgType.Rw, ScmArgType.Val)),
        new(Waitq, 0x02, "WAITQ", "RESUME", ArgInfo.Values(1)),
        new(Waitq, 0x03, "WAITQ", "GET_WQ_CTX", ArgInfo.None, Atomic: true),
    ];

    private static readonly Dictionary<int, ScmCallInfo> ById = AllCalls.ToDictionary(c => (c.Service << 8) | c.Command);

    private static readonly Dictionary<string, ScmCallInfo> ByName = AllCalls.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<ScmCallInfo> Calls => AllCalls;

    public static ScmCallInfo? Find(byte service, byte command) => ById.GetValueOrDefault((service << 8) | command);

    /// <summary>The call named "SVC.CMD" (case-insensitive), e.g. "PIL.PAS_INIT_IMAGE".</summary>
    public static ScmCallInfo? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>"PIL", or "SVC_0x40" for a service the ABI does not name.</summary>
    public static string ServiceName(byte service) =>
        ServiceNames.TryGetValue(service, out var name) ? name : "SVC_0x" + service.ToString("x2", CultureInfo.InvariantCulture);

    /// <summary>"PIL.PAS_INIT_IMAGE", "PIL.0x33" for an unknown command of a known service.</summary>
    public static string CallName(byte service, byte command) =>
        Find(service, command)?.Name ?? ServiceName(service) + ".0x" + command.ToString("x2", CultureInfo.InvariantCulture);

    /// <summary>The name of whatever x0 asks for: an SCM call, the resume of an interrupted call, or another owner's function.</summary>
    public static string CallName(FunctionId id)
    {
        if (id.Value == ScmStatus.ResumeFunctionId) return "RESUME_INTERRUPTED";
        if (id.IsScm) return CallName(id.Service, id.Command);
        if (id.Value == OpteeMsg.CallWithArg.Value) return "OPTEE.CALL_WITH_ARG";
        return OwnerName(id.Owner) + ".0x" + id.Function.ToString("x4", CultureInfo.InvariantCulture);
    }

    public static string OwnerName(SmcOwner owner) => owner switch
    {
        SmcOwner.Arm => "ARM",
        SmcOwner.Cpu => "CPU",
        SmcOwner.Sip => "SIP",
        SmcOwner.Oem => "OEM",
        SmcOwner.Standard => "STD",
        SmcOwner.StandardHyp => "STD_HYP",
        SmcOwner.VendorHyp => "VENDOR_HYP",
        >= SmcOwner.TrustedApp and <= SmcOwner.TrustedAppLast => "TRUSTED_APP",
        >= SmcOwner.TrustedOs and <= SmcOwner.TrustedOsLast => "TRUSTED_OS",
        _ => "OWNER_" + ((byte)owner).ToString(CultureInfo.InvariantCulture),
    };
}

using Qtz.Kernel.Pas;
using Qtz.Firmware.Images;
using Qtz.Kernel.Remoteproc;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc;

namespace Qtz.Kernel.Peripherals;

/// <summary>
/// Every PAS call the non-remoteproc PAS users make, in one place, through the generic PAS layer (qcom_pas) as the series' client conversions do;
/// MP VIDEO_VAR stays an SCM call: qcom_mdt_load without a PAS context (metadata freed right after INIT_IMAGE), AUTH_AND_RESET,
/// SHUTDOWN, IS_SUPPORTED, SET_REMOTE_STATE and MP VIDEO_VAR. Results are Linux's (0 or a negative errno, a
/// positive TZ service error as is).
/// </summary>
internal static class PeripheralPas
{
    /// <summary>qcom_mdt_load(…, pas_id, mem_region, mem_phys, mem_size, &amp;reloc): 0 or -errno; <paramref name="why"/> says what failed.</summary>
    public static int MdtLoad(QcomPas pas, Scm scm, uint pasId, PhysRange region, FirmwareImage fw, Action<string> trace, out string? why)
    {
        why = null;
        var context = pas.ContextAlloc(pasId, region.Base, region.Size);
        try
        {
            PasMdtLoader.Load(pas, scm, context, fw, trace);
            return 0;
        }
        catch (RprocException e)
        {
            why = e.Message;
            return -(int)e.Errno;
        }
        finally
        {
            pas.MetadataRelease(context);
        }
    }

    public static int AuthAndReset(QcomPas pas, uint pasId, Action<string> trace) =>
        Traced(trace, $"AUTH_AND_RESET pas {pasId}", pas.AuthAndReset(pasId));

    public static int Shutdown(QcomPas pas, uint pasId, Action<string> trace) =>
        Traced(trace, $"SHUTDOWN pas {pasId}", pas.Shutdown(pasId));

    public static bool Supported(QcomPas pas, uint pasId, Action<string> trace)
    {
        var supported = pas.Supported(pasId);
        trace($"IS_SUPPORTED pas {pasId} -> {(supported ? "yes" : "no")}");
        return supported;
    }

    public static int SetRemoteState(QcomPas pas, uint state, uint id, Action<string> trace) =>
        Traced(trace, $"SET_REMOTE_STATE state {state} id {id}", pas.SetRemoteState(state, id));

    public static int VideoVar(Scm scm, VideoContentProtection cp, Action<string> trace) =>
        Traced(trace, $"MP VIDEO_VAR cp 0x{cp.Start:x}+0x{cp.Size:x} non-pixel 0x{cp.NonPixelStart:x}+0x{cp.NonPixelSize:x}",
            scm.MemProtectVideoVar(cp.Start, cp.Size, cp.NonPixelStart, cp.NonPixelSize));

    public static string Describe(int ret) => PasErrors.Describe(ret);

    public static Errno ToErrno(int ret) => PasErrors.ToErrno(ret);

    private static int Traced(Action<string> trace, string call, int ret)
    {
        trace($"{call} -> {PasErrors.Describe(ret)}");
        return ret;
    }
}

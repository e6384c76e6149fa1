using Qtz.Firmware.Images;
using Qtz.Kernel.Remoteproc;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc;

namespace Qtz.Kernel.Peripherals;

/// <summary>
/// Every PAS call the non-remoteproc PAS users make, in one place (so a generic PAS front can take them over in
/// one file): qcom_mdt_load without a PAS context (metadata freed right after INIT_IMAGE), AUTH_AND_RESET,
/// SHUTDOWN, IS_SUPPORTED, SET_REMOTE_STATE and MP VIDEO_VAR. Results are Linux's (0 or a negative errno, a
/// positive TZ service error as is).
/// </summary>
internal static class PeripheralPas
{
    /// <summary>qcom_mdt_load(…, pas_id, mem_region, mem_phys, mem_size, &amp;reloc): 0 or -errno; <paramref name="why"/> says what failed.</summary>
    public static int MdtLoad(Scm scm, uint pasId, PhysRange region, FirmwareImage fw, Action<string> trace, out string? why)
    {
        why = null;
        var context = scm.PasContextAlloc(pasId, region.Base, region.Size);
        try
        {
            PasMdtLoader.Load(scm, context, fw, trace);
            return 0;
        }
        catch (RprocException e)
        {
            why = e.Message;
            return -(int)e.Errno;
        }
        finally
        {
            scm.PasMetadataRelease(context);
        }
    }

    public static int AuthAndReset(Scm scm, uint pasId, Action<string> trace) =>
        Traced(trace, $"AUTH_AND_RESET pas {pasId}", scm.PasAuthAndReset(pasId));

    public static int Shutdown(Scm scm, uint pasId, Action<string> trace) =>
        Traced(trace, $"SHUTDOWN pas {pasId}", scm.PasShutdown(pasId));

    public static bool Supported(Scm scm, uint pasId, Action<string> trace)
    {
        var supported = scm.PasSupported(pasId);
        trace($"IS_SUPPORTED pas {pasId} -> {(supported ? "yes" : "no")}");
        return supported;
    }

    public static int SetRemoteState(Scm scm, uint state, uint id, Action<string> trace) =>
        Traced(trace, $"SET_REMOTE_STATE state {state} id {id}", scm.SetRemoteState(state, id));

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

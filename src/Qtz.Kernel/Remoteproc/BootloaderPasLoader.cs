using Qtz.Kernel.Pas;
using Qtz.Firmware.Images;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// What a bootloader's PAS loader does before Linux runs (UEFI drivers such as qebspil on X1 boards; the SoCs
/// whose rows say early_boot): the same mdt load, AUTH_AND_RESET (bridged when the context uses tzmem) and
/// metadata release Linux's driver would do, on the same application CPU. It leaves the DSP running for
/// Linux to attach to (spec/socs.md §2.7). The exact loader a given bootloader uses is UNCONFIRMED; only the
/// resulting TrustZone and DSP state matters to Linux.
/// </summary>
public static class BootloaderPasLoader
{
    /// <summary>Loads and starts <paramref name="fw"/> under <paramref name="pasId"/> in <paramref name="carveout"/>; 0 or the PAS error.</summary>
    public static int Start(Scm scm, uint pasId, PhysRange carveout, bool useTzMem, FirmwareImage fw, Action<string> trace)
    {
        ArgumentNullException.ThrowIfNull(scm);
        ArgumentNullException.ThrowIfNull(fw);
        ArgumentNullException.ThrowIfNull(trace);
        // The bootloader speaks to TrustZone's PIL service itself: no Linux PAS layer exists yet.
        var pas = new QcomPas();
        pas.Register(new QteePasOps(scm));
        var context = pas.ContextAlloc(pasId, carveout.Base, carveout.Size);
        context.UseTzMem = useTzMem;
        try
        {
            PasMdtLoader.Load(pas, scm, context, fw, trace);
            var ret = pas.PrepareAndAuthReset(context);
            trace($"AUTH_AND_RESET pas {pasId} -> {PasErrors.Describe(ret)}");
            return ret;
        }
        catch (RprocException e)
        {
            trace(e.Message);
            return -(int)e.Errno;
        }
        finally
        {
            pas.MetadataRelease(context);
        }
    }
}

using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Pas;

/// <summary>
/// The QTEE backend (spec/socs.md §4.3): the former qcom_scm PAS functions behind the generic layer,
/// drv_name "qcom_scm", same SMC contracts and error mapping (spec/scm-pas.md §1.6, §2).
/// </summary>
public sealed class QteePasOps(Scm scm) : IPasOps
{
    public const string Name = "qcom_scm";

    /// <summary>PIL AUTH_AND_RESET, the call whose availability decides registration.</summary>
    private const byte AuthAndResetCommand = 0x05;

    public Scm Scm { get; } = scm ?? throw new ArgumentNullException(nameof(scm));

    public string DriverName => Name;

    /// <summary>
    /// The SCM probe's registration: after the convention probe, register if IS_CALL_AVAIL(PIL,
    /// AUTH_AND_RESET) says yes. The merged code asks IS_CALL_AVAIL; a reviewer asked for IS_SUPPORTED
    /// instead, final choice UNCONFIRMED. qtz follows the code as merged: IS_CALL_AVAIL, which asks TZ
    /// whether the command exists at all, while IS_SUPPORTED needs a PAS id and answers per peripheral.
    /// A TZ without PIL (an OP-TEE board) leaves the layer free for the TEE backend. Returns whether it registered.
    /// </summary>
    public static bool RegisterFromScmProbe(Scm scm, QcomPas pas)
    {
        ArgumentNullException.ThrowIfNull(scm);
        ArgumentNullException.ThrowIfNull(pas);
        if (!scm.IsCallAvailable(ScmCatalog.Pil, AuthAndResetCommand)) return false;
        return pas.Register(new QteePasOps(scm));
    }

    public bool Supported(uint pasId) => Scm.PasSupported(pasId);

    public int InitImage(uint pasId, ReadOnlySpan<byte> metadata, PasContext? context) => Scm.PasInitImage(pasId, metadata, context);

    public int MemSetup(uint pasId, PhysAddr address, ulong size) => Scm.PasMemSetup(pasId, address, size);

    public int GetRscTable(PasContext context, ReadOnlySpan<byte> inputTable, out byte[]? table) => Scm.PasGetRscTable(context, inputTable, out table);

    public int PrepareAndAuthReset(PasContext context) => Scm.PasPrepareAndAuthReset(context);

    public int AuthAndReset(uint pasId) => Scm.PasAuthAndReset(pasId);

    public int SetRemoteState(uint state, uint pasId) => Scm.SetRemoteState(state, pasId);

    public int Shutdown(uint pasId) => Scm.PasShutdown(pasId);

    public void MetadataRelease(PasContext context) => Scm.PasMetadataRelease(context);
}

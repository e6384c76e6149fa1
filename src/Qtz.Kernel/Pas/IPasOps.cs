using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Pas;

/// <summary>
/// struct qcom_pas_ops (spec/socs.md §4.2): what a PAS backend implements. Each member returns 0 or a
/// negative errno (a positive value is a backend's service error, passed through as Linux does), like
/// the SCM functions they replace. The backend's own device is the implementing object.
/// </summary>
public interface IPasOps
{
    /// <summary>drv_name: "qcom_scm" for QTEE, "qcom-pas-tee" for OP-TEE; named in "already registered by" logs.</summary>
    string DriverName { get; }

    bool Supported(uint pasId);

    int InitImage(uint pasId, ReadOnlySpan<byte> metadata, PasContext? context);

    int MemSetup(uint pasId, PhysAddr address, ulong size);

    /// <summary>On success <paramref name="table"/> is the caller's copy; it may be null (no table) with 0 returned.</summary>
    int GetRscTable(PasContext context, ReadOnlySpan<byte> inputTable, out byte[]? table);

    int PrepareAndAuthReset(PasContext context);

    int AuthAndReset(uint pasId);

    int SetRemoteState(uint state, uint pasId);

    int Shutdown(uint pasId);

    void MetadataRelease(PasContext context);
}

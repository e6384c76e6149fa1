using Qtz.Kernel.Remoteproc;
using Qtz.Soc;

namespace Qtz.Platform.Socs;

/// <summary>One DSP of a SoC as the hardware and TrustZone know it (not Linux's view, which is <see cref="PasData"/>).</summary>
public sealed record DspHardware(
    string Name,
    uint PasId,
    Vmid Vmid,
    ushort StreamId,
    ushort StreamMask,
    uint CrashReasonSmem,
    int SmemHost);

/// <summary>
/// SA8775p ("Lemans"): the five PAS remote processors. Linux data from qcom_q6v5_pas.c (spec scm-pas §7.2);
/// stream IDs and masks from lemans-el2.dtso (§9.4); remote SMEM host ids from the SMP2P nodes (§9.3).
/// </summary>
public static class Sa8775p
{
    public const string Name = "sa8775p";

    public static readonly IReadOnlyList<PasData> PasData =
    [
        new() { Compatible = "qcom,sa8775p-adsp-pas", FirmwareName = "adsp.mbn", PasId = 1, MinidumpId = 5, CrashReasonSmem = 423, ProxyPowerDomains = ["lcx", "lmx"], LoadState = "adsp", SsrName = "lpass", SysmonName = "adsp", SsctlId = 0x14 },
        new() { Compatible = "qcom,sa8775p-cdsp0-pas", FirmwareName = "cdsp0.mbn", PasId = 18, MinidumpId = 7, CrashReasonSmem = 601, ProxyPowerDomains = ["cx", "mxc", "nsp"], LoadState = "cdsp", SsrName = "cdsp", SysmonName = "cdsp", SsctlId = 0x17 },
        new() { Compatible = "qcom,sa8775p-cdsp1-pas", FirmwareName = "cdsp1.mbn", PasId = 30, MinidumpId = 20, CrashReasonSmem = 633, ProxyPowerDomains = ["cx", "mxc", "nsp"], LoadState = "nsp", SsrName = "cdsp1", SysmonName = "cdsp1", SsctlId = 0x20 },
        new() { Compatible = "qcom,sa8775p-gpdsp0-pas", FirmwareName = "gpdsp0.mbn", PasId = 39, MinidumpId = 21, CrashReasonSmem = 640, ProxyPowerDomains = ["cx", "mxc"], LoadState = "gpdsp0", SsrName = "gpdsp0", SysmonName = "gpdsp0", SsctlId = 0x21 },
        new() { Compatible = "qcom,sa8775p-gpdsp1-pas", FirmwareName = "gpdsp1.mbn", PasId = 40, MinidumpId = 22, CrashReasonSmem = 641, ProxyPowerDomains = ["cx", "mxc"], LoadState = "gpdsp1", SsrName = "gpdsp1", SysmonName = "gpdsp1", SsctlId = 0x22 },
    ];

    /// <summary>
    /// The DSPs' bus identities. VMIDs: ADSP_Q6 for the audio DSP, CDSP for the compute DSPs; the GPDSPs
    /// have no VMID of their own in qcom,scm.h — we give them CDSP's (UNCONFIRMED: only the carveout lock
    /// depends on it, and any VMID other than HLOS shows the same behaviour).
    /// </summary>
    public static readonly IReadOnlyList<DspHardware> Dsps =
    [
        new("adsp", 1, Vmid.AdspQ6, 0x3000, 0x0, 423, 2),
        new("cdsp0", 18, Vmid.Cdsp, 0x21c0, 0x0400, 601, 5),
        new("cdsp1", 30, Vmid.Cdsp, 0x29c0, 0x0400, 633, 12),
        new("gpdsp0", 39, Vmid.Cdsp, 0x38a0, 0x0, 640, 17),
        new("gpdsp1", 40, Vmid.Cdsp, 0x38c0, 0x0, 641, 18),
    ];

    /// <summary>
    /// SHA-384 of the root certificate that signs the SA8775p DSP images in linux-firmware
    /// (qcom/sa8775p/{adsp,cdsp0,cdsp1,gpdsp0,gpdsp1}.mbn, all five the same root: "SECTOOLS SECP384R1
    /// CURVE TEST ROOT", Qualcomm's public SecTools test root). Computed once with
    /// <c>qtz fw verify --json ../shared/testdata/firmware/qcom/sa8775p/adsp.mbn</c> (rootSha384). The
    /// board's default fuses trust it so the released images boot like on an unfused ride board.
    /// </summary>
    public const string ReleasedFirmwareRootSha384 = "f953644308944bb811ca0ec2a736a17fe38509941ce7f55860130857813c8378e93359b70dfd874c270dca08a53bd99f";

    public static PasData? FindPasData(string compatible) => PasData.FirstOrDefault(d => d.Compatible == compatible);

    public static DspHardware? FindDsp(uint pasId) => Dsps.FirstOrDefault(d => d.PasId == pasId);
}

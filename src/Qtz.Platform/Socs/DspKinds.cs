using Qtz.Soc;
using Qtz.Soc.Bus;

namespace Qtz.Platform.Socs;

/// <summary>
/// What a PAS id is (spec/socs.md §1.2), and the identity that follows from it: the VMID TrustZone locks the
/// carveout to (include/dt-bindings/firmware/qcom,scm.h) and the SW_ID its images carry (firmware-formats §4.2).
/// Where no source names a value, the row says UNCONFIRMED and gives qtz's choice: only the carveout lock and
/// the signature policy depend on it, and any value other than HLOS's shows the same behaviour.
/// </summary>
public static class DspKinds
{
    private static readonly Dictionary<uint, (string Kind, byte Vmid, uint SoftwareId)> ByPasId = new()
    {
        [1] = ("adsp", 0x06, 0x04),     // ADSP_Q6
        [4] = ("modem", 0x0F, 0x02),    // MSS_MSA
        [6] = ("wpss", 0x18, 0x0D),     // WLAN
        [9] = ("video", 0x0E, 0x0E),
        [12] = ("slpi", 0x05, 0x18),    // SSC_Q6
        [13] = ("gpu-zap", 0x0E, 0x14),
        [18] = ("cdsp", 0x1E, 0x17),    // CDSP
        [30] = ("cdsp1", 0x1E, 0x44),
        [39] = ("gpdsp0", 0x1E, 0x58),  // no VMID of its own: CDSP's (UNCONFIRMED)
        [40] = ("gpdsp1", 0x1E, 0x5A),
        [0x24] = ("adsp-dtb", 0x06, 0x53),
        [0x25] = ("cdsp-dtb", 0x1E, 0x52),
        [0x26] = ("modem-dtb", 0x0F, 0x55),  // SW_ID UNCONFIRMED: qtz's choice
        [0x33] = ("soccp", 0x2D, 0x5C),      // VMID and SW_ID UNCONFIRMED: qtz's choice
        [0x41] = ("soccp-dtb", 0x2D, 0x5D),  // UNCONFIRMED
        [53] = ("adsp1", 0x06, 0x04),        // Nord: same kinds as their first instances (UNCONFIRMED)
        [54] = ("adsp2", 0x06, 0x04),
        [55] = ("adsp1-dtb", 0x06, 0x53),
        [56] = ("adsp2-dtb", 0x06, 0x53),
        [57] = ("cdsp2", 0x1E, 0x17),
        [58] = ("cdsp3", 0x1E, 0x17),
        [59] = ("cdsp1-dtb", 0x1E, 0x52),
        [60] = ("cdsp2-dtb", 0x1E, 0x52),
        [61] = ("cdsp3-dtb", 0x1E, 0x52),
        [0x56] = ("lpaicp", 0x16, 0x60),     // Shikra, vendor-only: LPASS VMID, SW_ID UNCONFIRMED
        [0x57] = ("lpaicp-dtb", 0x16, 0x61),
    };

    /// <summary>The PAS id of the modem (MSS): a board with one accepts MSS_RESET.</summary>
    public const uint ModemPasId = 4;

    public static bool IsKnown(uint pasId) => ByPasId.ContainsKey(pasId);

    public static string KindOf(uint pasId) => ByPasId.TryGetValue(pasId, out var k) ? k.Kind : $"pas{pasId}";

    /// <summary>The VMID TrustZone locks this PAS id's carveout to; unknown ids get CDSP's (any non-HLOS VMID behaves alike).</summary>
    public static Vmid VmidOf(uint pasId) => new(ByPasId.TryGetValue(pasId, out var k) ? k.Vmid : (byte)0x1E);

    /// <summary>The SW_ID images for this PAS id carry; unknown ids get 0x100 + pas id (qtz's choice, UNCONFIRMED).</summary>
    public static uint SoftwareIdOf(uint pasId) => ByPasId.TryGetValue(pasId, out var k) ? k.SoftwareId : 0x100 + pasId;
}

namespace Qtz.Platform.Socs;

/// <summary>
/// DSP streams (SID, SMR mask) per SoC, from mainline's EL2 overlays (spec/socs.md §3.3: the second
/// <c>iommus</c> cell is the mask). The board uses them when a node has no <c>iommus</c> of its own; for
/// SoCs no overlay covers, <see cref="SocCatalog"/> assigns a stand-in (QHEE programs whatever TZ tells it,
/// so any stream unique on the board behaves alike).
/// </summary>
internal static class SocStreams
{
    public static readonly (string Soc, DspStream[] Streams)[] FromOverlays =
    [
        ("sa8775p", [new("adsp", 0x3000, 0x0), new("cdsp0", 0x21c0, 0x0400), new("cdsp1", 0x29c0, 0x0400), new("gpdsp0", 0x38a0, 0x0), new("gpdsp1", 0x38c0, 0x0)]),
        ("qcs8300", [new("adsp", 0x2000, 0x0), new("cdsp", 0x19c0, 0x0400), new("gpdsp", 0x28a0, 0x0)]),
        ("qcs615", [new("adsp", 0x1720, 0x0), new("cdsp", 0x1080, 0x0)]),
        ("sc7280", [new("adsp", 0x1800, 0x0), new("cdsp", 0x11a0, 0x0400)]),
        ("x1e80100", [new("adsp", 0x1000, 0x80), new("cdsp", 0x0c00, 0x0)]), // UNCONFIRMED: posted, not in the stored mainline overlay
        ("glymur", [new("adsp", 0x1000, 0x0)]),
    ];

    /// <summary>Base of the stand-in streams: above every SID the overlays use (qtz's choice).</summary>
    public const ushort StandInBase = 0x3f00;
}

using Qtz.DeviceTree;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Socs;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Properties;
using Qtz.Soc.Addressing;
using Qtz.Soc.Dsp;

namespace Qtz.Platform.Boards;

/// <summary>
/// One PAS remote processor as the board wired it: the DT node, Linux's per-SoC data, the hardware
/// identity TZ knows, the carveout read from the node's memory-region, the DSP core and its
/// handshake signals, and the device memory the firmware touches.
/// </summary>
public sealed record BoardRemoteproc(
    DtNode Node,
    PasData Data,
    DspHardware Hardware,
    PhysRange Carveout,
    string CarveoutName,
    DspCore Core,
    DspSignals Signals,
    IReadOnlyList<DevmemEntry> DeviceMemory)
{
    public string Name => Hardware.Name;

    public uint PasId => Data.PasId;

    /// <summary>The SoC whose table bound the node.</summary>
    public string Soc { get; init; } = "";

    /// <summary>memory-region[1]: the DTB image's carveout (SoCs with a dtb_pas_id).</summary>
    public PhysRange? DtbCarveout { get; init; }

    /// <summary>Linux's only EL2 signal (spec §7.3): the node has <c>iommus</c>.</summary>
    public bool HasIommu => Node.HasProperty("iommus");

    /// <summary>The DT's <c>firmware-name</c>[0], if any.</summary>
    public string? FirmwareName => Node.GetStringList("firmware-name") is [var first, ..] ? first : null;

    /// <summary>The name Linux asks for: <c>firmware-name</c>[0], else the table's default.</summary>
    public string RequestedFirmware => FirmwareName ?? Data.FirmwareName;

    /// <summary>The DTB image's name Linux asks for: <c>firmware-name</c>[1], else the table's default; null without one.</summary>
    public string? RequestedDtbFirmware => Data.DtbPasId is null ? null
        : Node.GetStringList("firmware-name") is [_, var second, ..] ? second : Data.DtbFirmwareName;
}

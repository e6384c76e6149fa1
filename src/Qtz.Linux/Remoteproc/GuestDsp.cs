using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Socs;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Dsp;

namespace Qtz.Linux.Remoteproc;

/// <summary>
/// One PAS remote processor of qtz's board as the guest meets it: Linux's per-SoC data (compatible,
/// PAS id, proxy power domains), the hardware TrustZone knows (VMID, stream), the carveout from the
/// board's memory-region, the firmware name the real driver will request, the SPIs its handshake uses,
/// and qtz's DSP core with its signals.
/// </summary>
public sealed record GuestDsp(
    int Index,
    PasData Data,
    DspHardware Hardware,
    PhysRange Carveout,
    string FirmwareName,
    string NodeName,
    DspCore Core,
    DspSignals Signals)
{
    public string Name => Hardware.Name;

    public uint PasId => Data.PasId;

    /// <summary>The name Linux's remoteproc gives it (the descriptor's sysmon name: "cdsp" for cdsp0).</summary>
    public string RprocName => Data.SysmonName;

    public int SpiBase => GuestSpis.Base(Index);

    public int Spi(int offset) => SpiBase + offset;

    /// <summary>The board's reserved-memory node name of the carveout (e.g. pil-adsp@95900000).</summary>
    public string CarveoutName { get; init; } = "";
}

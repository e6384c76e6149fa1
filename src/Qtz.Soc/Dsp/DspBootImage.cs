using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;

namespace Qtz.Soc.Dsp;

/// <summary>One loaded segment as the DSP sees it: device address, length, and what the image says it may do there.</summary>
public readonly record struct DspSegment(Iova Start, ulong Length, AccessPermissions Permissions);

/// <summary>A device-memory range the firmware expects to reach (from its resource table or `qcom,devmem`).</summary>
public readonly record struct DspDeviceRange(Iova Start, ulong Length, AccessPermissions Permissions, string Name = "");

/// <summary>
/// What TrustZone hands the core when it releases reset: the entry point and the loaded segments of the
/// authenticated image, plus the device memory the firmware will touch. The core's boot probe walks
/// exactly this through its SMMU stream.
/// </summary>
public sealed record DspBootImage(Iova Entry, IReadOnlyList<DspSegment> Segments, IReadOnlyList<DspDeviceRange> DeviceMemory);

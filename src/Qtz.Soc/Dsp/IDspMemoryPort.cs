using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;

namespace Qtz.Soc.Dsp;

/// <summary>
/// A DSP's path to memory: its SMMU stream, then the bus (<see cref="SmmuStreamPort"/> on a board; a
/// fake in tests). Reads with <see cref="AccessKind.Execute"/> are instruction fetches.
/// </summary>
public interface IDspMemoryPort
{
    SmmuAccessResult Read(Iova iova, Span<byte> destination, AccessKind kind);

    SmmuAccessResult Write(Iova iova, ReadOnlySpan<byte> source);
}

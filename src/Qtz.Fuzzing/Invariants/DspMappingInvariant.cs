using Qtz.Platform.Boards;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.SystemMmu;

namespace Qtz.Fuzzing.Invariants;

/// <summary>
/// "No DSP access outside its mappings", read from the hardware: for every DSP that is out of
/// reset, the SMMU's own view of its stream — stream matching, the context bank's registers and the
/// page tables walked in memory (<see cref="Smmu.MappingsOf"/>) — must translate, map nothing but its
/// carveout and its device-memory ranges (<see cref="DspAllowedMemory.Allows"/>), and still map the
/// whole carveout it runs from. What Linux or QHEE believe they mapped is not consulted.
/// </summary>
public static class DspMappingInvariant
{
    public const string Name = "dsp-smmu-mappings";

    public static IReadOnlyList<InvariantViolation> Check(Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var violations = new List<InvariantViolation>();
        foreach (var p in board.Peripherals)
        {
            if (p.Core is null || p.Core.State == DspState.Reset) continue;
            var view = board.Smmu.MappingsOf(p.StreamId);
            if (view.Routing != SmmuStreamRouting.Translate)
            {
                violations.Add(new(Name, $"{p.Name} runs but the SMMU {(view.Routing == SmmuStreamRouting.Bypass ? "bypasses" : "faults")} its stream 0x{p.StreamId:x} instead of translating it"));
                continue;
            }

            if (view.Problem is not null) violations.Add(new(Name, $"{p.Name}: its page tables cannot be walked: {view.Problem}"));
            foreach (var m in view.Mappings.Where(m => !DspAllowedMemory.Allows(p, m)))
                violations.Add(new(Name, $"{p.Name}: context bank {view.ContextBank} maps {m}, outside its carveout {p.Carveout} and device memory"));
            var unmapped = FirstUnmapped(p.Carveout, view.Mappings);
            if (unmapped is { } hole)
                violations.Add(new(Name, $"{p.Name} runs but context bank {view.ContextBank} no longer maps its carveout at {hole}"));
        }

        return violations;
    }

    /// <summary>The first carveout address no mapping's output covers, or null.</summary>
    private static PhysAddr? FirstUnmapped(PhysRange carveout, IReadOnlyList<SmmuMapping> mappings)
    {
        var covered = carveout.Base.Value;
        foreach (var m in mappings.Where(m => m.PhysicalRange.Overlaps(carveout)).OrderBy(m => m.Physical.Value))
        {
            if (m.Physical.Value > covered) break;
            covered = Math.Max(covered, m.Physical.Value + m.Length);
            if (covered > carveout.Last.Value) return null;
        }

        return new PhysAddr(covered);
    }
}

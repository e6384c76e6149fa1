using Qtz.Soc.Time;

namespace Qtz.Soc.Nor;

/// <summary>Power-cut injection: when power goes, and what an interrupted operation leaves behind.</summary>
public sealed partial class NorChip
{
    /// <summary>The instant power is (or was) cut; null while power stays on.</summary>
    public VirtualTime? PowerCutAt { get; private set; }

    public bool IsPowered => PowerCutAt is not { } cut || Clock.Now < cut;

    /// <summary>The operation that was running when power went, if any.</summary>
    public NorOperation? InterruptedOperation { get; private set; }

    /// <summary>Cuts power at <paramref name="at"/> (virtual time); from then on every command is ignored.</summary>
    public void SchedulePowerCut(VirtualTime at) => PowerCutAt = at;

    /// <summary>Restores power (a new boot): the latch is clear and nothing is running.</summary>
    public void PowerOn()
    {
        PowerCutAt = null;
        WriteEnableLatch = false;
        Interlocked.Exchange(ref _busyUntil, 0);
    }

    private NorOutcome OutcomeFor(TimeSpan duration)
    {
        if (PowerCutAt is not { } cut) return NorOutcome.Completed;
        var now = Clock.Now;
        if (cut <= now) return NorOutcome.Unpowered;
        return cut < now + duration ? NorOutcome.Interrupted : NorOutcome.Completed;
    }

    // A read cut short changes nothing in the array; the clock stops at the cut.
    private bool CutDuring(VirtualTime start, TimeSpan duration)
    {
        if (PowerCutAt is not { } cut || cut >= start + duration) return false;
        Clock.Advance(cut - start);
        return true;
    }

    private double Fraction(NorOperation op)
    {
        InterruptedOperation = op;
        return (PowerCutAt!.Value - op.Start).Ticks / (double)op.Duration.Ticks;
    }

    // Each bit due to go 1→0 has gone with a probability that grows with the time the program ran;
    // no bit ever goes 0→1 (spec/mtd.md §2.1 rule 9).
    private void PartialProgram(Span<byte> current, ReadOnlySpan<byte> target, double fraction)
    {
        var random = Clock.Random;
        for (var i = 0; i < current.Length; i++)
        {
            var due = (byte)(current[i] & ~target[i]);
            if (due == 0) continue;
            var cleared = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                if ((due & (1 << bit)) != 0 && random.NextDouble() < fraction) cleared |= 1 << bit;
            }

            current[i] &= (byte)~cleared;
        }
    }

    // Erase first pre-programs the unit to zeros from its end (the Spansion behaviour UBI's
    // nor_erase_prepare documents), then lifts bits to one; a cut leaves either phase's mix (§2.1 rule 8).
    private void PartialErase(ulong start, ulong size, double fraction)
    {
        var random = Clock.Random;
        var buffer = new byte[Math.Min(size, 64UL << 10)];
        for (ulong done = 0; done < size; done += (ulong)buffer.Length)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min((ulong)buffer.Length, size - done));
            if (fraction < 0.5)
            {
                var zeroFrom = size - (ulong)(fraction / 0.5 * size);
                _storage.Read(start + done, chunk);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (done + (ulong)i >= zeroFrom) chunk[i] = 0;
                }
            }
            else
            {
                var p = (fraction - 0.5) / 0.5;
                for (var i = 0; i < chunk.Length; i++)
                {
                    var b = 0;
                    for (var bit = 0; bit < 8; bit++) if (random.NextDouble() < p) b |= 1 << bit;
                    chunk[i] = (byte)b;
                }
            }

            _storage.Write(start + done, chunk);
        }
    }
}

using Qtz.Soc.Nor;
using Xunit;

namespace Qtz.Platform.Tests.Soak;

/// <summary>
/// The chip's own record of a cut: replaying its completed programs and erases on the old contents
/// gives every byte outside the unit in flight exactly; inside an interrupted program only bits the
/// program targeted may have fallen, and none may have risen (an interrupted erase may leave anything).
/// </summary>
internal static class JournalCheck
{
    public static void AssertOnlyUnitInFlightDiffers(int seed, byte[] initial, ReadOnlySpan<byte> actual, List<NorOperation> journal, NorOperation? inFlight, int pageSize)
    {
        var model = (byte[])initial.Clone();
        foreach (var op in journal)
        {
            if (op.Outcome == NorOutcome.Completed) op.ApplyTo(model, pageSize);
        }

        var (unitStart, unitLength) = inFlight switch
        {
            null => (0, 0),
            { Kind: NorOperationKind.Erase } e => ((int)e.Address, (int)e.Length),
            var p => ((int)p.Address & ~(pageSize - 1), pageSize),
        };
        foreach (var (from, to) in new[] { (0, unitStart), (unitStart + unitLength, model.Length) })
        {
            var same = actual[from..to].CommonPrefixLength(model.AsSpan(from, to - from));
            var i = from + same;
            if (i < to) Assert.Fail($"seed {seed}: byte 0x{i:x} outside the unit in flight changed (0x{model[i]:x2} -> 0x{actual[i]:x2})");
        }

        if (inFlight is not { Kind: NorOperationKind.Program } program) return;
        var target = model.AsSpan(unitStart, pageSize).ToArray();
        var intended = new byte[pageSize];
        intended.AsSpan().Fill(0xFF);
        var data = program.Data.Span;
        for (var i = 0; i < data.Length; i++) intended[((int)program.Address - unitStart + i) % pageSize] &= data[i];
        for (var i = 0; i < pageSize; i++)
        {
            if (!NorBits.IsPartialProgram(target[i], intended[i], actual[unitStart + i]))
                Assert.Fail($"seed {seed}: byte 0x{unitStart + i:x} of the interrupted program went 0x{target[i]:x2} -> 0x{actual[unitStart + i]:x2} (data 0x{intended[i]:x2})");
        }
    }
}

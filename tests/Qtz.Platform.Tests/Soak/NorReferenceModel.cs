using Qtz.Platform.Tests.Soak;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;

namespace Qtz.Platform.Tests.Soak;

/// <summary>
/// What an MTD request may leave in the array, worked out from the request and TZ's write semantics
/// alone (not from the chip's journal): for every byte the values it passes through, in order — old,
/// erased (0xFF) where the request erases, and its final value. A byte outside the unit in flight must
/// hold one of them; inside it, an interrupted program may leave a partial program between two
/// consecutive values, an interrupted erase anything.
/// </summary>
internal sealed class NorReferenceModel(byte[] initial, MtdOp op, TzWriteSemantics semantics, int eraseSize)
{
    private readonly List<byte> _stages = new(4);

    /// <summary>Null when every byte of <paramref name="actual"/> is a state the chip could be in; else the first byte that is not.</summary>
    public string? FirstImpossibleByte(ReadOnlySpan<byte> actual, NorOperation? inFlight, int pageSize)
    {
        var (unitStart, unitLength) = inFlight switch
        {
            null => (0, 0),
            { Kind: NorOperationKind.Erase } e => ((int)e.Address, (int)e.Length),
            var p => ((int)p.Address & ~(pageSize - 1), pageSize),
        };
        // Outside the blocks the request touches every byte must be old: compared as spans, then byte by byte inside.
        var block = (ulong)eraseSize;
        var lo = (int)(op.Offset / block * block);
        var hi = (int)Math.Min((ulong)actual.Length, (op.Offset + op.Length + block - 1) / block * block);
        var head = actual[..lo].CommonPrefixLength(initial.AsSpan(0, lo));
        if (head < lo) return $"byte 0x{head:x} changed (0x{initial[head]:x2} -> 0x{actual[head]:x2}) outside the blocks {op} touches";
        var tail = actual[hi..].CommonPrefixLength(initial.AsSpan(hi));
        if (hi + tail < actual.Length) return $"byte 0x{hi + tail:x} changed (0x{initial[hi + tail]:x2} -> 0x{actual[hi + tail]:x2}) outside the blocks {op} touches";
        for (var i = lo; i < hi; i++)
        {
            var stages = StagesOf(i);
            if (stages.Contains(actual[i])) continue;
            var inUnit = i >= unitStart && i < unitStart + unitLength;
            if (inUnit && inFlight!.Kind == NorOperationKind.Erase) continue;
            if (inUnit && IsPartialProgramBetweenStages(stages, actual[i])) continue;
            return $"byte 0x{i:x} is 0x{actual[i]:x2}; {op} may leave only {string.Join(" → ", stages.Select(s => $"0x{s:x2}"))}" +
                (inUnit ? $" or a partial program of the page in flight" : $" (the unit in flight is {inFlight?.ToString() ?? "none"})");
        }

        return null;
    }

    /// <summary>The value every byte holds once the request completed.</summary>
    public byte[] Final()
    {
        var final = new byte[initial.Length];
        for (var i = 0; i < final.Length; i++) final[i] = StagesOf(i)[^1];
        return final;
    }

    private bool IsPartialProgramBetweenStages(List<byte> stages, byte now)
    {
        for (var k = 0; k + 1 < stages.Count; k++)
        {
            var (before, after) = (stages[k], stages[k + 1]);
            if ((after & ~before) == 0 && NorBits.IsPartialProgram(before, after, now)) return true;
        }

        return false;
    }

    private List<byte> StagesOf(int i)
    {
        _stages.Clear();
        var old = initial[i];
        _stages.Add(old);
        var at = (ulong)i;
        var inData = at >= op.Offset && at < op.Offset + op.Length;
        var data = inData && op.Data is { } d ? d[at - op.Offset] : (byte)0xFF;
        switch (op.Kind)
        {
            case MtdOpKind.Erase when inData:
                Add(0xFF);
                break;
            case MtdOpKind.Write when semantics == TzWriteSemantics.Program && inData:
                Add((byte)(old & data));
                break;
            case MtdOpKind.Write when semantics == TzWriteSemantics.EraseProgram && InBlocks(at, op.Offset, op.Length):
                // The driver writes whole blocks read back and merged; TZ erases each before programming.
                Add(0xFF);
                Add((byte)(old & data));
                break;
            case MtdOpKind.Copy when InBlocks(at, op.Offset, op.Length):
                Add(0xFF);
                Add(data);
                break;
        }

        return _stages;
    }

    private void Add(byte value)
    {
        if (_stages[^1] != value) _stages.Add(value);
    }

    private bool InBlocks(ulong at, ulong offset, ulong length)
    {
        var block = (ulong)eraseSize;
        var start = offset / block * block;
        var end = (offset + length + block - 1) / block * block;
        return at >= start && at < end;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace Qtz.Soc.Nor;

/// <summary>The NOR programming rule on bytes: programming can only clear bits, so stored becomes stored AND data.</summary>
public static class NorBits
{
    // Vector<T> code is never ReadyToRun-compiled and runs for a long while unoptimised at tier 0
    // (every vector operation a call) before on-stack replacement: compile it optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Program(Span<byte> stored, ReadOnlySpan<byte> data)
    {
        if (data.Length > stored.Length) throw new ArgumentException("more data than stored bytes", nameof(data));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<byte>.Count <= data.Length; i += Vector<byte>.Count)
                (new Vector<byte>(stored[i..]) & new Vector<byte>(data[i..])).CopyTo(stored[i..]);
        }

        for (; i < data.Length; i++) stored[i] &= data[i];
    }

    /// <summary>Programming without a staging copy: <paramref name="result"/> = <paramref name="stored"/> AND <paramref name="data"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Program(Span<byte> result, ReadOnlySpan<byte> stored, ReadOnlySpan<byte> data)
    {
        if (stored.Length < data.Length || result.Length < data.Length) throw new ArgumentException("more data than stored bytes", nameof(data));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<byte>.Count <= data.Length; i += Vector<byte>.Count)
                (new Vector<byte>(stored[i..]) & new Vector<byte>(data[i..])).CopyTo(result[i..]);
        }

        for (; i < data.Length; i++) result[i] = (byte)(stored[i] & data[i]);
    }

    /// <summary>Whether <paramref name="now"/> can follow <paramref name="before"/> by programming <paramref name="data"/> partially: no bit rose, and only bits the data clears fell.</summary>
    public static bool IsPartialProgram(byte before, byte data, byte now) => (now & ~before) == 0 && ((now ^ before) & data) == 0;
}

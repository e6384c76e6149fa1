using System.Numerics;

namespace Qtz.Soc.Nor;

/// <summary>The NOR programming rule on bytes: programming can only clear bits, so stored becomes stored AND data.</summary>
public static class NorBits
{
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

    /// <summary>Whether <paramref name="now"/> can follow <paramref name="before"/> by programming <paramref name="data"/> partially: no bit rose, and only bits the data clears fell.</summary>
    public static bool IsPartialProgram(byte before, byte data, byte now) => (now & ~before) == 0 && ((now ^ before) & data) == 0;
}

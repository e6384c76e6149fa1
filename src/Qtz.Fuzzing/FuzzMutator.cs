using System.Buffers.Binary;

namespace Qtz.Fuzzing;

/// <summary>
/// Seeded byte-level mutations: bit and byte flips, interesting integers at aligned offsets in the
/// target's byte order, arithmetic on words, truncation and extension, chunk deletion, duplication and
/// splicing with another corpus entry, and length-field-aware edits (a word that looks like a length or
/// offset into the input is moved to the edges that bounds checks get wrong). Deterministic for a Random.
/// </summary>
public sealed class FuzzMutator(FuzzByteOrder order, int maxLength)
{
    private static readonly ulong[] Interesting =
    [
        0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 0x7F, 0x80, 0xFF, 0x100, 0x3FF, 0x400, 0xFFF, 0x1000,
        0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 1,
    ];

    private const int Operations = 11;

    /// <summary>One to four stacked mutations of <paramref name="input"/>; <paramref name="other"/> is a splice partner.</summary>
    public byte[] Mutate(byte[] input, byte[] other, Random random)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(random);
        var data = (byte[])input.Clone();
        var edits = 1 + random.Next(4);
        for (var i = 0; i < edits; i++) data = MutateOnce(data, other, random);
        return data.Length > maxLength ? data[..maxLength] : data;
    }

    private byte[] MutateOnce(byte[] data, byte[] other, Random random)
    {
        if (data.Length == 0) return Extend(data, random);
        switch (random.Next(Operations))
        {
            case 0: data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8)); return data;
            case 1: data[random.Next(data.Length)] = (byte)random.Next(256); return data;
            case 2: return PutInteresting(data, random);
            case 3: return Arithmetic(data, random);
            case 4: return data[..random.Next(data.Length)];
            case 5: return Extend(data, random);
            case 6: return DeleteChunk(data, random);
            case 7: return DuplicateChunk(data, random);
            case 8: return Splice(data, other, random);
            case 9: return EditLengthField(data, random);
            default: return EditLengthField(data, random);
        }
    }

    private byte[] PutInteresting(byte[] data, Random random)
    {
        var width = 1 << random.Next(4); // 1, 2, 4 or 8 bytes
        if (data.Length < width) return data;
        var at = random.Next(data.Length - width + 1) & ~(width - 1);
        var value = Interesting[random.Next(Interesting.Length)];
        if (random.Next(4) == 0) value = (ulong)data.Length + (ulong)random.Next(-2, 3);
        Write(data.AsSpan(at), width, value);
        return data;
    }

    private byte[] Arithmetic(byte[] data, Random random)
    {
        if (data.Length < 4) return data;
        var at = random.Next(data.Length - 3) & ~3;
        var delta = (ulong)(long)random.Next(-35, 36);
        Write(data.AsSpan(at), 4, Read(data.AsSpan(at), 4) + delta);
        return data;
    }

    /// <summary>A word whose value lies within the input is probably a size or an offset: push it to an edge.</summary>
    private byte[] EditLengthField(byte[] data, Random random)
    {
        if (data.Length < 4) return data;
        Span<int> candidates = stackalloc int[64];
        var count = 0;
        for (var tries = 0; tries < 64 && count < candidates.Length; tries++)
        {
            var at = random.Next(data.Length - 3) & ~3;
            var value = Read(data.AsSpan(at), 4);
            if (value != 0 && value <= (ulong)data.Length) candidates[count++] = at;
        }

        if (count == 0) return PutInteresting(data, random);
        var field = candidates[random.Next(count)];
        var old = Read(data.AsSpan(field), 4);
        ulong[] edges = [old + 1, old - 1, old + 4, old - 4, 0, (ulong)data.Length, (ulong)data.Length - (ulong)field, (ulong)data.Length + 1, old * 2, 0xFFFF_FFFF, 0xFFFF_FFFF - old + 1];
        Write(data.AsSpan(field), 4, edges[random.Next(edges.Length)]);
        return data;
    }

    private static byte[] Extend(byte[] data, Random random)
    {
        var extra = new byte[1 + random.Next(random.Next(3) == 0 ? 4096 : 64)];
        if (random.Next(2) == 0) random.NextBytes(extra);
        else if (random.Next(2) == 0) extra.AsSpan().Fill(0xFF);
        return [.. data, .. extra];
    }

    private static byte[] DeleteChunk(byte[] data, Random random)
    {
        var start = random.Next(data.Length);
        var length = 1 + random.Next(Math.Min(data.Length - start, 256));
        return [.. data.AsSpan(0, start), .. data.AsSpan(start + length)];
    }

    private static byte[] DuplicateChunk(byte[] data, Random random)
    {
        var start = random.Next(data.Length);
        var length = 1 + random.Next(Math.Min(data.Length - start, 256));
        var at = random.Next(data.Length + 1);
        return [.. data.AsSpan(0, at), .. data.AsSpan(start, length), .. data.AsSpan(at)];
    }

    private static byte[] Splice(byte[] data, byte[] other, Random random)
    {
        if (other.Length == 0) return data;
        var cut = random.Next(data.Length + 1);
        var from = random.Next(other.Length);
        var length = random.Next(other.Length - from + 1);
        return [.. data.AsSpan(0, cut), .. other.AsSpan(from, length)];
    }

    private ulong Read(ReadOnlySpan<byte> at, int width) => (width, order) switch
    {
        (1, _) => at[0],
        (2, FuzzByteOrder.LittleEndian) => BinaryPrimitives.ReadUInt16LittleEndian(at),
        (2, _) => BinaryPrimitives.ReadUInt16BigEndian(at),
        (4, FuzzByteOrder.LittleEndian) => BinaryPrimitives.ReadUInt32LittleEndian(at),
        (4, _) => BinaryPrimitives.ReadUInt32BigEndian(at),
        (_, FuzzByteOrder.LittleEndian) => BinaryPrimitives.ReadUInt64LittleEndian(at),
        _ => BinaryPrimitives.ReadUInt64BigEndian(at),
    };

    private void Write(Span<byte> at, int width, ulong value)
    {
        switch (width, order)
        {
            case (1, _): at[0] = (byte)value; break;
            case (2, FuzzByteOrder.LittleEndian): BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)value); break;
            case (2, _): BinaryPrimitives.WriteUInt16BigEndian(at, (ushort)value); break;
            case (4, FuzzByteOrder.LittleEndian): BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)value); break;
            case (4, _): BinaryPrimitives.WriteUInt32BigEndian(at, (uint)value); break;
            case (_, FuzzByteOrder.LittleEndian): BinaryPrimitives.WriteUInt64LittleEndian(at, value); break;
            default: BinaryPrimitives.WriteUInt64BigEndian(at, value); break;
        }
    }
}

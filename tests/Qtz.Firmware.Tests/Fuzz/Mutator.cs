using System.Buffers.Binary;

namespace Qtz.Firmware.Tests.Fuzz;

/// <summary>
/// Seeded structure-aware mutations: bit flips, interesting bytes and 32-bit words, truncation; most
/// land in the "hot" bytes (ELF header, program headers, hash segment) where the parsing logic is.
/// </summary>
public sealed class Mutator(byte[] seed, int hotStart, int hotLength, int headerLength, int randomSeed)
{
    private static readonly uint[] InterestingWords = [0, 1, 2, 0x28, 0x30, 0x78, 0xE0, 0x1000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x02000000, 0x07000000];
    private static readonly byte[] InterestingBytes = [0, 1, 0x30, 0x7F, 0x80, 0x81, 0x82, 0x83, 0xFF];
    private readonly Random random = new(randomSeed);

    public byte[] Next()
    {
        var bytes = (byte[])seed.Clone();
        var length = bytes.Length;
        var count = 1 + random.Next(3);
        for (var k = 0; k < count; k++)
        {
            var at = Offset(length);
            switch (random.Next(10))
            {
                case < 4:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case < 6:
                    bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case < 8 when at + 4 <= length:
                    var word = random.Next(4) == 0 ? (uint)random.Next() : InterestingWords[random.Next(InterestingWords.Length)];
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at & ~3), word);
                    break;
                case 8:
                    bytes[at] = (byte)random.Next(256);
                    break;
                default:
                    length = Math.Max(0, Math.Min(length, at + random.Next(64)));
                    break;
            }
        }

        return length == bytes.Length ? bytes : bytes[..length];
    }

    private int Offset(int length)
    {
        var roll = random.Next(10);
        var at = roll switch
        {
            < 3 => random.Next(headerLength),
            < 5 => hotStart + random.Next(Math.Min(hotLength, 320)),
            < 8 => hotStart + random.Next(hotLength),
            _ => random.Next(seed.Length),
        };
        return Math.Min(at, Math.Max(0, length - 1));
    }
}

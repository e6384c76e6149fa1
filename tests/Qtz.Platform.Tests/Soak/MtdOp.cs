using Qtz.Kernel.Mtd;

namespace Qtz.Platform.Tests.Soak;

/// <summary>What an MTD request of a soak does (copy is flashcp's erase, write, verify).</summary>
public enum MtdOpKind : byte
{
    Read,
    Write,
    Erase,
    Copy,
}

/// <summary>What an <see cref="MtdOp"/> returned: 0 or −errno, and for a read the bytes it got.</summary>
public sealed record MtdOpResult(int Errno, byte[]? Data);

/// <summary>
/// One MTD request of a seeded workload: its kind, where, how long, and the bytes a write or copy
/// carries. Reads and writes start at any byte; erases and copies on eraseblock boundaries.
/// </summary>
public sealed record MtdOp(MtdOpKind Kind, ulong Offset, ulong Length, byte[]? Data = null)
{
    /// <summary>
    /// A random request inside [<paramref name="start"/>, +<paramref name="length"/>) (whole eraseblocks):
    /// up to <paramref name="maxBytes"/> bytes, or up to that many bytes' worth of whole blocks for an erase.
    /// </summary>
    public static MtdOp Random(Random random, IReadOnlyList<MtdOpKind> kinds, ulong start, ulong length, uint eraseSize, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(kinds);
        var kind = kinds[random.Next(kinds.Count)];
        var blocks = (int)(length / eraseSize);
        if (kind is MtdOpKind.Erase)
        {
            var count = 1 + random.Next(Math.Min(blocks, Math.Max(1, maxBytes / (int)eraseSize)));
            var first = random.Next(blocks - count + 1);
            return new MtdOp(kind, start + (ulong)first * eraseSize, (ulong)count * eraseSize);
        }

        var bytes = 1 + random.Next(Math.Min(maxBytes, (int)length));
        var offset = kind is MtdOpKind.Copy
            ? (ulong)random.Next((int)((length - (ulong)bytes) / eraseSize) + 1) * eraseSize
            : (ulong)random.NextInt64((long)(length - (ulong)bytes) + 1);
        byte[]? data = null;
        if (kind is not MtdOpKind.Read)
        {
            data = new byte[bytes];
            random.NextBytes(data);
        }

        return new MtdOp(kind, start + offset, (ulong)bytes, data);
    }

    /// <summary>
    /// Runs the request through the MTD core (mtd_read, mtd_write, mtd_erase; a copy erases the blocks it
    /// covers, writes, then reads back and compares), as one caller of <paramref name="mtd"/>.
    /// </summary>
    public MtdOpResult RunOn(MtdInfo mtd)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        switch (Kind)
        {
            case MtdOpKind.Read:
            {
                var buffer = new byte[Length];
                return new MtdOpResult(MtdCore.Read(mtd, (long)Offset, buffer, out _), buffer);
            }

            case MtdOpKind.Write:
                return new MtdOpResult(MtdCore.Write(mtd, (long)Offset, Data, out _), null);
            case MtdOpKind.Erase:
                return new MtdOpResult(MtdCore.Erase(mtd, new EraseInfo(Offset, Length)), null);
            default:
                return Copy(mtd);
        }
    }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} 0x{Offset:x}+0x{Length:x}";

    private MtdOpResult Copy(MtdInfo mtd)
    {
        var erase = Math.Min((Length + mtd.EraseSize - 1) / mtd.EraseSize * mtd.EraseSize, mtd.Size - Offset);
        var ret = MtdCore.Erase(mtd, new EraseInfo(Offset, erase));
        if (ret == 0) ret = MtdCore.Write(mtd, (long)Offset, Data, out _);
        if (ret != 0) return new MtdOpResult(ret, null);
        var back = new byte[Length];
        ret = MtdCore.Read(mtd, (long)Offset, back, out _);
        return new MtdOpResult(ret == 0 && !back.AsSpan().SequenceEqual(Data) ? -MtdErrno.EIO : ret, null);
    }
}

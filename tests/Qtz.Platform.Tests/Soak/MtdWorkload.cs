using System.Buffers.Binary;
using System.Security.Cryptography;
using Qtz.Kernel.Mtd;

namespace Qtz.Platform.Tests.Soak;

/// <summary>One request of a workload and what it returned: errno and, for a read, a digest of the bytes (logs stay small).</summary>
public sealed record MtdLogEntry(MtdOpKind Kind, ulong Offset, ulong Length, int Errno, UInt128? ReadDigest)
{
    public static MtdLogEntry Of(MtdOp op, MtdOpResult result)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(result);
        return new(op.Kind, op.Offset, op.Length, result.Errno, result.Data is { } d ? BinaryPrimitives.ReadUInt128LittleEndian(SHA256.HashData(d)) : null);
    }

    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()} 0x{Offset:x}+0x{Length:x} -> {(Errno != 0 ? MtdErrno.Describe(Errno) : ReadDigest is { } h ? $"0, bytes {h:x32}" : "0")}";
}

/// <summary>
/// A seeded stream of MTD requests (read, write, erase) confined to one region of whole eraseblocks,
/// run by one caller, with a log of what each returned. The same seed and region give the same
/// requests, so a log can be replayed on another board (the requests regenerated from the seed) and
/// compared request by request.
/// </summary>
public sealed class MtdWorkload
{
    private static readonly MtdOpKind[] Kinds = [MtdOpKind.Read, MtdOpKind.Write, MtdOpKind.Erase];
    private readonly Random _random;
    private readonly List<MtdLogEntry> _log = [];

    public MtdWorkload(int seed, ulong start, ulong length, uint eraseSize, int maxBytes)
    {
        if (eraseSize == 0 || start % eraseSize != 0 || length % eraseSize != 0 || length == 0)
            throw new ArgumentException($"region 0x{start:x}+0x{length:x} is not whole eraseblocks of 0x{eraseSize:x}");
        Seed = seed;
        Start = start;
        Length = length;
        EraseSize = eraseSize;
        MaxBytes = maxBytes;
        _random = new Random(seed);
    }

    public int Seed { get; }

    public ulong Start { get; }

    public ulong Length { get; }

    public uint EraseSize { get; }

    public int MaxBytes { get; }

    public IReadOnlyList<MtdLogEntry> Log => _log;

    /// <summary>Generates the next request and runs it on <paramref name="mtd"/>; returns what it returned.</summary>
    public MtdOpResult RunNext(MtdInfo mtd)
    {
        var op = Next(_random);
        var result = op.RunOn(mtd);
        _log.Add(MtdLogEntry.Of(op, result));
        return result;
    }

    /// <summary>Runs the logged requests again on <paramref name="mtd"/>, in order; the first whose result differs, or null.</summary>
    public string? ReplayOn(MtdInfo mtd)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        var random = new Random(Seed);
        for (var i = 0; i < _log.Count; i++)
        {
            var op = Next(random);
            var again = MtdLogEntry.Of(op, op.RunOn(mtd));
            if (again != _log[i])
                return $"workload {Seed} request {i}: {_log[i]} concurrently but {again} in the serial replay";
        }

        return null;
    }

    private MtdOp Next(Random random) => MtdOp.Random(random, Kinds, Start, Length, EraseSize, MaxBytes);
}

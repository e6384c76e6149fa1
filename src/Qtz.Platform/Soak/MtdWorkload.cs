using Qtz.Kernel.Mtd;

namespace Qtz.Platform.Soak;

/// <summary>One request of a workload and what it returned.</summary>
public sealed record MtdLogEntry(MtdOp Op, MtdOpResult Result);

/// <summary>
/// A seeded stream of MTD requests (read, write, erase) confined to one region of whole eraseblocks,
/// run by one caller, with a log of what each returned. The same seed and region give the same
/// requests, so a log can be replayed on another board and compared request by request.
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
        var op = MtdOp.Random(_random, Kinds, Start, Length, EraseSize, MaxBytes);
        var result = op.RunOn(mtd);
        _log.Add(new MtdLogEntry(op, result));
        return result;
    }

    /// <summary>Runs every logged request again on <paramref name="mtd"/>, in order; the first whose result differs, or null.</summary>
    public string? ReplayOn(MtdInfo mtd)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        for (var i = 0; i < _log.Count; i++)
        {
            var (op, result) = (_log[i].Op, _log[i].Result);
            var again = op.RunOn(mtd);
            if (!again.SameAs(result))
                return $"workload {Seed} request {i} ({op}): returned {Describe(result)} concurrently but {Describe(again)} in the serial replay";
        }

        return null;
    }

    private static string Describe(MtdOpResult r) =>
        r.Errno != 0 ? MtdErrno.Describe(r.Errno) : r.Data is { } d ? $"0 and {d.Length} bytes (sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(d))[..16]}…)" : "0";
}

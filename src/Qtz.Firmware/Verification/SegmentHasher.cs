using System.Security.Cryptography;
using Qtz.Firmware.Images;

namespace Qtz.Firmware.Verification;

/// <summary>
/// Hashes segments straight from their files with incremental hashing over pooled buffers; with more
/// than one thread, whole segments are hashed in parallel (largest first).
/// </summary>
public static class SegmentHasher
{
    /// <summary>Digests of the segments <paramref name="indices"/>, in the same order.</summary>
    public static byte[][] Hash(FirmwareImage image, IReadOnlyList<int> indices, HashAlgorithmName algorithm, int threads = 1, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var results = new byte[indices.Count][];
        var total = Math.Max(1UL, indices.Aggregate(0UL, (sum, i) => sum + image.ProgramHeaders[i].FileSize));
        long done = 0;
        void Report(int bytes)
        {
            var now = Interlocked.Add(ref done, bytes);
            progress?.Invoke((double)now / total);
        }

        var order = Enumerable.Range(0, indices.Count).OrderByDescending(k => image.ProgramHeaders[indices[k]].FileSize).ToArray();
        if (threads == 1 || indices.Count < 2)
        {
            foreach (var k in order)
                results[k] = HashOne(image, indices[k], algorithm, Report);
        }
        else
        {
            Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = threads }, k => results[k] = HashOne(image, indices[k], algorithm, Report));
        }

        return results;
    }

    public static byte[] HashOne(FirmwareImage image, int index, HashAlgorithmName algorithm, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (source, offset) = image.Locate(index);
        var remaining = (long)image.ProgramHeaders[index].FileSize;
        FirmwareThrow.RequireRange((ulong)offset, (ulong)remaining, (ulong)source.Length, $"{source.Name}: segment {index}");
        using var hash = IncrementalHash.CreateHash(algorithm);
        source.ReadChunks(offset, remaining, chunk =>
        {
            hash.AppendData(chunk);
            progress?.Invoke(chunk.Length);
        });
        return hash.GetHashAndReset();
    }
}

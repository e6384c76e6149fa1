using System.Security.Cryptography;
using Qtz.Firmware.Images;

namespace Qtz.Firmware.Verification;

/// <summary>
/// Hashes segments straight from their files with incremental hashing over pooled buffers; with more
/// than one thread, whole segments are hashed in parallel (largest first), each thread through its own
/// small read buffer (<see cref="ImageSource.ReadChunks"/>).
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
            HashInParallel(order.Length, Math.Min(threads, order.Length), j => results[order[j]] = HashOne(image, indices[order[j]], algorithm, Report));
        }

        return results;
    }

    /// <summary>
    /// Runs <paramref name="work"/> for 0..count-1 on this thread and <paramref name="threads"/> - 1 threads
    /// of its own, each taking the next index as it finishes one (whole segments, so a big one never
    /// waits behind a queue of small ones). The first failure stops the handing out and is rethrown
    /// as itself once every worker has stopped. Plain threads, not the thread pool: starting the pool
    /// (its workers, its gate thread) cost more than a one-file verify could wait for.
    /// </summary>
    private static void HashInParallel(int count, int threads, Action<int> work)
    {
        var next = -1;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        void Worker()
        {
            try
            {
                for (int j; (j = Interlocked.Increment(ref next)) < count;)
                    work(j);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e), null);
                Interlocked.Exchange(ref next, count);
            }
        }

        var helpers = new Thread[threads - 1];
        for (var t = 0; t < helpers.Length; t++)
        {
            helpers[t] = new Thread(Worker) { IsBackground = true, Name = "qtz hash" };
            helpers[t].Start();
        }

        Worker();
        foreach (var helper in helpers) helper.Join();
        failure?.Throw();
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

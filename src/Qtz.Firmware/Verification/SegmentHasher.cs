using System.Runtime.ExceptionServices;
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
        using var hashing = Start(image, indices, algorithm, threads, progress);
        return hashing.Finish();
    }

    /// <summary>
    /// Starts hashing the segments <paramref name="indices"/> on <paramref name="threads"/> - 1 threads of
    /// its own, so the caller can do other work (a verifier checks the signatures meanwhile) before it
    /// joins in with <see cref="SegmentHashing.Finish"/>. With one thread nothing starts until then.
    /// </summary>
    public static SegmentHashing Start(FirmwareImage image, IReadOnlyList<int> indices, HashAlgorithmName algorithm, int threads = 1, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return new SegmentHashing(image, indices, algorithm, Math.Min(threads, Math.Max(indices.Count, 1)), progress);
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

/// <summary>
/// Segments being hashed. Workers take the next segment as they finish one (whole segments, largest
/// first, so a big one never waits behind a queue of small ones). The first failure stops the handing
/// out and is rethrown as itself by <see cref="Finish"/> once every worker has stopped. Plain threads,
/// not the thread pool: starting the pool (its workers, its gate thread) cost more than a one-file verify
/// could wait for. Disposing without finishing stops the workers and waits for them, so no read outlives
/// the image.
/// </summary>
public sealed class SegmentHashing : IDisposable
{
    private readonly FirmwareImage image;
    private readonly IReadOnlyList<int> indices;
    private readonly HashAlgorithmName algorithm;
    private readonly Action<double>? progress;
    private readonly int[] order;
    private readonly byte[][] results;
    private readonly Thread[] helpers;
    private readonly ulong total;
    private long done;
    private int next = -1;
    private ExceptionDispatchInfo? failure;
    private volatile bool stopping;
    private bool joined;

    internal SegmentHashing(FirmwareImage image, IReadOnlyList<int> indices, HashAlgorithmName algorithm, int threads, Action<double>? progress)
    {
        this.image = image;
        this.indices = indices;
        this.algorithm = algorithm;
        this.progress = progress;
        results = new byte[indices.Count][];
        total = Math.Max(1UL, indices.Aggregate(0UL, (sum, i) => sum + image.ProgramHeaders[i].FileSize));
        order = Enumerable.Range(0, indices.Count).OrderByDescending(k => image.ProgramHeaders[indices[k]].FileSize).ToArray();
        helpers = new Thread[threads - 1];
        for (var t = 0; t < helpers.Length; t++)
        {
            helpers[t] = new Thread(Work) { IsBackground = true, Name = "qtz hash" };
            helpers[t].Start();
        }
    }

    /// <summary>Hashes on the calling thread until no segment is left, waits for the helpers, and returns the digests in the order asked for.</summary>
    public byte[][] Finish()
    {
        ObjectDisposedException.ThrowIf(joined, this);
        Work();
        Join();
        failure?.Throw();
        return results;
    }

    private void Work()
    {
        try
        {
            for (int j; (j = Interlocked.Increment(ref next)) < order.Length;)
                results[order[j]] = SegmentHasher.HashOne(image, indices[order[j]], algorithm, Report);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            Stop();
        }
    }

    private void Stop()
    {
        stopping = true;
        Interlocked.Exchange(ref next, order.Length);
    }

    /// <summary>Counts a chunk; once stopped, abandons the segment in hand at the next chunk (a 1 GiB one would take seconds).</summary>
    private void Report(int bytes)
    {
        if (stopping)
            throw new OperationCanceledException();
        var now = Interlocked.Add(ref done, bytes);
        progress?.Invoke((double)now / total);
    }

    private void Join()
    {
        foreach (var helper in helpers)
            helper.Join();
        joined = true;
    }

    public void Dispose()
    {
        if (joined)
            return;
        Stop();
        Join();
    }
}

using System.Diagnostics;

namespace Qtz.Fuzzing;

/// <summary>
/// Watches the fuzz loop from the caller's thread: the loop stamps each input as it starts and ends;
/// if one runs past the hard limit the watchdog stops waiting and hands back that input. .NET cannot
/// abort a thread, so the stuck loop is left behind as a background thread and the campaign ends.
/// </summary>
internal sealed class FuzzWatchdog
{
    private byte[]? _current;
    private long _startedAt;

    public void Begin(byte[] input)
    {
        Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref _current, input);
    }

    public void End() => Volatile.Write(ref _current, null);

    /// <summary>Waits for <paramref name="loop"/>; returns the input it got stuck on, or null when it finished.</summary>
    public byte[]? WaitForLoop(Thread loop, TimeSpan hardLimit)
    {
        while (!loop.Join(TimeSpan.FromMilliseconds(100)))
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && Stopwatch.GetElapsedTime(Volatile.Read(ref _startedAt)) > hardLimit && ReferenceEquals(current, Volatile.Read(ref _current)))
                return current;
        }

        return null;
    }
}

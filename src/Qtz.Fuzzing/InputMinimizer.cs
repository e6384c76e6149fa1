namespace Qtz.Fuzzing;

/// <summary>
/// Delta debugging (ddmin, complement-only): repeatedly try the input with one of n chunks removed,
/// keep any smaller input that still fails the same way, refine n until single bytes; then try to
/// simplify the remaining bytes to zero. Bounded by an execution budget.
/// </summary>
public static class InputMinimizer
{
    public static byte[] Minimize(byte[] input, Func<byte[], bool> stillFails, int maxExecutions)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(stillFails);
        var current = input;
        var executions = 0;
        var chunks = 2;
        while (current.Length >= 2 && executions < maxExecutions)
        {
            var size = (current.Length + chunks - 1) / chunks;
            var reduced = false;
            for (var start = 0; start < current.Length && executions < maxExecutions; start += size)
            {
                var length = Math.Min(size, current.Length - start);
                byte[] candidate = [.. current.AsSpan(0, start), .. current.AsSpan(start + length)];
                executions++;
                if (!stillFails(candidate)) continue;
                current = candidate;
                chunks = Math.Max(chunks - 1, 2);
                reduced = true;
                break;
            }

            if (reduced) continue;
            if (size == 1) break;
            chunks = Math.Min(chunks * 2, current.Length);
        }

        for (var i = 0; i < current.Length && executions < maxExecutions; i++)
        {
            if (current[i] == 0) continue;
            var candidate = (byte[])current.Clone();
            candidate[i] = 0;
            executions++;
            if (stillFails(candidate)) current = candidate;
        }

        return current;
    }
}

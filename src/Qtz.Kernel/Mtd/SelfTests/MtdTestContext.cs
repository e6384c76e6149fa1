using System.Diagnostics;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Mtd.SelfTests;

/// <summary>The outcome of one ported kernel MTD test: its printk lines, error count and return code.</summary>
public sealed record MtdTestResult(string Test, int Return, int Errors, IReadOnlyList<string> Lines)
{
    public bool Passed => Return == 0 && Errors == 0;
}

/// <summary>
/// mtd_test.c's helpers and the common set-up of the drivers/mtd/tests modules: pgsize (512 when
/// writesize is 1), block counts, the output prefix and framing, and reads/writes that turn short
/// transfers into −EIO. Time is measured both on the virtual clock (what the flash would take) and
/// on the wall clock (what the model took).
/// </summary>
public sealed class MtdTestContext
{
    private readonly List<string> _lines = [];
    private readonly Func<TimeSpan> _virtualNow;

    public MtdTestContext(MtdInfo mtd, string test, Func<TimeSpan> virtualNow)
    {
        ArgumentNullException.ThrowIfNull(mtd);
        Mtd = mtd;
        Test = test;
        _virtualNow = virtualNow ?? (() => TimeSpan.Zero);
        PageSize = mtd.WriteSize == 1 ? 512 : (int)mtd.WriteSize;
        EraseBlockCount = (int)(mtd.Size / mtd.EraseSize);
        PagesPerBlock = (int)(mtd.EraseSize / (uint)PageSize);
    }

    public MtdInfo Mtd { get; }

    public string Test { get; }

    public int PageSize { get; }

    public int EraseBlockCount { get; }

    public int PagesPerBlock { get; }

    public IReadOnlyList<string> Lines => _lines;

    public void Print(string line) => _lines.Add($"mtd_{Test}: {line}");

    public void Frame() => _lines.Add(new string('=', 49));

    public MtdTestResult Finish(int ret, int errors)
    {
        if (ret != 0) Print($"error {ret} occurred");
        Frame();
        return new MtdTestResult(Test, ret, errors, _lines);
    }

    public int Read(long address, Span<byte> buffer)
    {
        var ret = MtdCore.Read(Mtd, address, buffer, out var read);
        if (ret == 0 || ret == -EUCLEAN) ret = read == (ulong)buffer.Length ? 0 : -EIO;
        if (ret != 0) Print($"error: read failed at 0x{address:x}");
        return ret;
    }

    public int Write(long address, ReadOnlySpan<byte> buffer)
    {
        var ret = MtdCore.Write(Mtd, address, buffer, out var written);
        if (ret == 0 && written != (ulong)buffer.Length) ret = -EIO;
        if (ret != 0) Print($"error: write failed at 0x{address:x}");
        return ret;
    }

    public int EraseBlocks(int block, int count)
    {
        var ret = MtdCore.Erase(Mtd, new EraseInfo((ulong)block * Mtd.EraseSize, (ulong)count * Mtd.EraseSize));
        if (ret != 0) Print($"error {ret} while erasing EB {block}");
        return ret;
    }

    /// <summary>Runs <paramref name="work"/>, returning its result and the virtual and wall time it took.</summary>
    public int Timed(Func<int> work, out TimeSpan virtualElapsed, out TimeSpan wallElapsed)
    {
        ArgumentNullException.ThrowIfNull(work);
        var v0 = _virtualNow();
        var w0 = Stopwatch.GetTimestamp();
        var ret = work();
        wallElapsed = Stopwatch.GetElapsedTime(w0);
        virtualElapsed = _virtualNow() - v0;
        return ret;
    }

    /// <summary>speedtest's formula: KiB/s = blocks × (erasesize / 1024) × 10⁶ / µs.</summary>
    public long SpeedKiBps(int blocks, TimeSpan elapsed)
    {
        var us = Math.Max(1L, (long)elapsed.TotalMicroseconds);
        return (long)((ulong)blocks * (Mtd.EraseSize / 1024) * 1_000_000UL / (ulong)us);
    }
}

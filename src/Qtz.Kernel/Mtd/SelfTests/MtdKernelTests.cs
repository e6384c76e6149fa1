using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Kernel.Mtd.SelfTests;

/// <summary>
/// Ports of the drivers/mtd/tests modules' checks (spec/mtd.md §4). NOR has no bad-block hook, so no
/// block is ever skipped; the NAND-only tests return 0 after saying so, as the kernel modules do.
/// </summary>
public static class MtdKernelTests
{
    public static MtdTestResult ReadTest(MtdTestContext t)
    {
        ArgumentNullException.ThrowIfNull(t);
        Header(t);
        t.Print("testing page read");
        var page = new byte[t.PageSize];
        var errors = 0;
        for (var eb = 0; eb < t.EraseBlockCount; eb++)
        {
            for (var p = 0; p < t.PagesPerBlock; p++)
            {
                if (t.Read(((long)eb * t.PagesPerBlock + p) * t.PageSize, page) != 0) errors++;
            }
        }

        t.Print(errors == 0 ? "finished" : "finished with errors");
        return t.Finish(0, errors);
    }

    /// <summary>The NAND-only modules (pagetest, subpagetest, oobtest) on NOR.</summary>
    public static MtdTestResult RequiresNand(MtdTestContext t)
    {
        ArgumentNullException.ThrowIfNull(t);
        Header(t);
        if (t.Mtd.Type is not (MtdType.NandFlash or MtdType.MlcNandFlash)) t.Print("this test requires NAND flash");
        return t.Finish(0, 0);
    }

    public static MtdTestResult SpeedTest(MtdTestContext t, Random random, Action<string>? report = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(random);
        Header(t);
        var eb = (int)t.Mtd.EraseSize;
        var buffer = new byte[eb];
        random.NextBytes(buffer);
        var blocks = t.EraseBlockCount;
        var ret = t.EraseBlocks(0, blocks);
        if (ret != 0) return t.Finish(ret, 1);
        foreach (var (label, unit, write) in new[] { ("eraseblock", eb, true), ("eraseblock", eb, false), ("page", t.PageSize, true), ("page", t.PageSize, false), ("2 page", 2 * t.PageSize, true), ("2 page", 2 * t.PageSize, false) })
        {
            if (write && label != "eraseblock" && (ret = t.EraseBlocks(0, blocks)) != 0) return t.Finish(ret, 1);
            t.Print($"testing {label} {(write ? "write" : "read")} speed");
            ret = t.Timed(() => Pass(t, buffer, unit, write), out var v, out var w);
            if (ret != 0) return t.Finish(ret, 1);
            Speed(t, $"{label} {(write ? "write" : "read")} speed", blocks, v, w, report);
        }

        t.Print("Testing erase speed");
        ret = t.Timed(() => EraseEach(t, 1), out var ev, out var ew);
        if (ret != 0) return t.Finish(ret, 1);
        Speed(t, "erase speed", blocks, ev, ew, report);
        for (var k = 1; k <= 6; k++)
        {
            var per = 1 << k;
            t.Print($"Testing {per}x multi-block erase speed");
            ret = t.Timed(() => EraseEach(t, per), out var mv, out var mw);
            if (ret != 0) return t.Finish(ret, 1);
            Speed(t, $"{per}x multi-block erase speed", blocks, mv, mw, report);
        }

        t.Print("finished");
        return t.Finish(0, 0);
    }

    public static MtdTestResult StressTest(MtdTestContext t, Random random, int count = 10_000)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(random);
        Header(t);
        if (t.EraseBlockCount < 2)
        {
            t.Print("error: need at least 2 eraseblocks");
            return t.Finish(-ENOSPC, 0);
        }

        var eb = (int)t.Mtd.EraseSize;
        var bufsize = 2 * eb;
        var buffer = new byte[bufsize];
        random.NextBytes(buffer);
        var offsets = Enumerable.Repeat(eb, t.EraseBlockCount).ToArray();
        t.Print("doing operations");
        for (var op = 0; op < count; op++)
        {
            if ((op & 1023) == 0 && op != 0) t.Print($"{op} operations done");
            var block = random.Next(t.EraseBlockCount - 1);
            int ret;
            if (random.Next(2) == 0)
            {
                var offs = random.Next(bufsize);
                var len = bufsize - offs == 0 ? 0 : random.Next(bufsize - offs);
                ret = t.Read((long)block * eb + offs, buffer.AsSpan(0, len));
            }
            else
            {
                ret = StressWrite(t, random, offsets, block, buffer);
            }

            if (ret != 0) return t.Finish(ret, 1);
        }

        t.Print($"finished, {count} operations done");
        return t.Finish(0, 0);
    }

    public static MtdTestResult TortureTest(MtdTestContext t, int cycles, int firstBlock = 8, int blockCount = 32, int granularity = 512, bool check = true)
    {
        ArgumentNullException.ThrowIfNull(t);
        Header(t);
        if (firstBlock + blockCount > t.EraseBlockCount)
        {
            t.Print($"error: the device has {t.EraseBlockCount} eraseblocks, the test needs {firstBlock + blockCount}");
            return t.Finish(-EINVAL, 0);
        }

        var eb = (int)t.Mtd.EraseSize;
        var patt5A5 = new byte[eb];
        var pattA5A = new byte[eb];
        for (var p = 0; p < eb / t.PageSize; p++)
        {
            patt5A5.AsSpan(p * t.PageSize, t.PageSize).Fill((p & 1) == 0 ? (byte)0x55 : (byte)0xAA);
            pattA5A.AsSpan(p * t.PageSize, t.PageSize).Fill((p & 1) == 0 ? (byte)0xAA : (byte)0x55);
        }

        var check1 = new byte[eb];
        var errors = 0;
        var cycle = 0;
        var started = Environment.TickCount64;
        for (; cycle < cycles; cycle++)
        {
            var ret = t.EraseBlocks(firstBlock, blockCount);
            if (ret != 0) return t.Finish(ret, errors);
            for (var i = firstBlock; i < firstBlock + blockCount && check; i++)
            {
                if ((ret = t.Read((long)i * eb, check1)) != 0) return t.Finish(ret, errors);
                if (check1.AsSpan().IndexOfAnyExcept((byte)0xFF) >= 0)
                {
                    t.Print($"verify all 0xFF failed for EB {i}");
                    errors++;
                }
            }

            for (var i = firstBlock; i < firstBlock + blockCount; i++)
            {
                var patt = ((i + cycle) & 1) != 0 ? patt5A5 : pattA5A;
                if ((ret = t.Write((long)i * eb, patt)) != 0) return t.Finish(ret, errors);
                if (!check) continue;
                var matched = false;
                for (var attempt = 0; attempt < 3 && !matched; attempt++)
                {
                    if ((ret = t.Read((long)i * eb, check1)) != 0) return t.Finish(ret, errors);
                    matched = check1.AsSpan().SequenceEqual(patt);
                }

                if (!matched)
                {
                    t.Print($"verify failed for {(patt == patt5A5 ? "0x55AA55" : "0xAA55AA")} pattern in EB {i}");
                    errors++;
                }
            }

            if ((cycle + 1) % granularity == 0)
            {
                var ms = Environment.TickCount64 - started;
                t.Print($"{cycle + 1:D8} erase cycles done, took {ms} milliseconds ({ms / 1000} seconds)");
            }
        }

        t.Print($"finished after {cycle} erase cycles");
        return t.Finish(0, errors);
    }

    private static int StressWrite(MtdTestContext t, Random random, int[] offsets, int block, byte[] buffer)
    {
        var eb = (int)t.Mtd.EraseSize;
        var offs = offsets[block];
        int ret;
        if (offs >= eb)
        {
            if ((ret = t.EraseBlocks(block, 1)) != 0) return ret;
            offs = offsets[block] = 0;
        }

        var len = random.Next(buffer.Length - offs);
        len = (len + t.PageSize - 1) / t.PageSize * t.PageSize;
        if (offs + len > eb)
        {
            if ((ret = t.EraseBlocks(block + 1, 1)) != 0) return ret;
            offsets[block + 1] = 0;
        }

        if ((ret = t.Write((long)block * eb + offs, buffer.AsSpan(0, len))) != 0) return ret;
        offs += len;
        while (offs > eb)
        {
            offsets[block++] = eb;
            offs -= eb;
        }

        offsets[block] = offs;
        return 0;
    }

    // Per eraseblock, in units of one, one page or two pages (an odd page count ends with a single page).
    private static int Pass(MtdTestContext t, byte[] buffer, int unit, bool write)
    {
        var eb = (long)t.Mtd.EraseSize;
        for (var block = 0; block < t.EraseBlockCount; block++)
        {
            for (long off = 0; off < eb; off += unit)
            {
                var n = (int)Math.Min(unit, eb - off);
                var at = block * eb + off;
                var ret = write ? t.Write(at, buffer.AsSpan(0, n)) : t.Read(at, buffer.AsSpan(0, n));
                if (ret != 0) return ret;
            }
        }

        return 0;
    }

    private static int EraseEach(MtdTestContext t, int per)
    {
        for (var b = 0; b < t.EraseBlockCount; b += per)
        {
            var ret = t.EraseBlocks(b, Math.Min(per, t.EraseBlockCount - b));
            if (ret != 0) return ret;
        }

        return 0;
    }

    private static void Speed(MtdTestContext t, string what, int blocks, TimeSpan virtualElapsed, TimeSpan wallElapsed, Action<string>? report)
    {
        t.Print($"{what} is {t.SpeedKiBps(blocks, virtualElapsed)} KiB/s");
        report?.Invoke($"{what}: {t.SpeedKiBps(blocks, virtualElapsed) / 1024.0:0.00} MiB/s virtual, {t.SpeedKiBps(blocks, wallElapsed) / 1024.0:0.00} MiB/s wall-clock");
    }

    private static void Header(MtdTestContext t)
    {
        t.Frame();
        t.Print($"MTD device: {t.Mtd.Index}");
        t.Print($"MTD device size {t.Mtd.Size}, eraseblock size {t.Mtd.EraseSize}, page size {t.PageSize}, count of eraseblocks {t.EraseBlockCount}, pages per eraseblock {t.PagesPerBlock}, OOB size {t.Mtd.OobSize}");
    }
}

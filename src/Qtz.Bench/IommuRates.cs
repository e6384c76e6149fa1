using System.Diagnostics;
using Qtz.Kernel;
using Qtz.Kernel.Iommu;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;

namespace Qtz.Bench;

/// <summary>
/// In-process IOMMU rates on <see cref="IommuBenchBoard"/>: 4 KiB map and unmap calls through the
/// kernel's io-pgtable (one call per page), and SMMU translations two ways. Warm: a working set of
/// exactly the TLB's 4 KiB entries, consecutive pages from a 16 MiB-aligned IOVA, which land in
/// distinct slots of the direct-mapped TLB, so after the first pass every translation hits (the
/// ≥ 20 M/s target is for this). Cold: all mapped pages (at least twice the TLB) in order, so each
/// page's slot has been taken by a page 4,096 further on before it comes round again and every
/// translation walks the tables in simulated memory. Each figure is the median of the runs, after one
/// untimed warm-up cycle (JIT tiering, page-table pages allocated); only the loop itself is timed.
/// </summary>
internal static class IommuRates
{
    private const ulong IovaBase = 0x1000_0000;
    private const ulong PhysBase = 0x2_0000_1000;

    public static IEnumerable<BenchResult> Results(BenchRun run)
    {
        var pages = run.Options.IommuPages;
        var tlb = new SmmuOptions().TlbPageEntries;
        if (pages < 2 * tlb)
            throw new ArgumentOutOfRangeException(nameof(run), $"{pages} IOMMU pages: the cold walk needs at least twice the TLB's {tlb} page entries");
        var board = new IommuBenchBoard();

        Map(board, pages);
        var warmPasses = Calibrate(board, tlb, run.Options.IommuMinimumLoop);
        var coldPasses = Calibrate(board, pages, run.Options.IommuMinimumLoop);
        Unmap(board, pages);
        var (firstMap, firstUnmap) = (Map(board, pages), Unmap(board, pages)); // past first-touch and JIT: what a cycle costs
        // A map or unmap of every page takes milliseconds: each sample repeats the map/unmap cycle until
        // the warm-up's figures say it lasts the minimum loop time, so timer and scheduler noise stay small.
        var cycles = (int)Math.Clamp(Math.Ceiling(run.Options.IommuMinimumLoop.TotalSeconds / Math.Max(1e-6, Math.Min(firstMap, firstUnmap))), 1, 1000);

        var (map, unmap, warm, cold) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var r = 0; r < Math.Max(1, run.Options.Runs); r++)
        {
            var (mapSeconds, unmapSeconds) = (0.0, 0.0);
            for (var c = 0; c < cycles; c++)
            {
                mapSeconds += Map(board, pages);
                if (c == 0)
                {
                    Translate(board, tlb, 1); // fills the TLB: the warm loop times hits only
                    warm.Add(Translate(board, tlb, warmPasses));
                    cold.Add(Translate(board, pages, coldPasses));
                }

                unmapSeconds += Unmap(board, pages);
            }

            map.Add(mapSeconds);
            unmap.Add(unmapSeconds);
        }

        var mapInputs = $"{pages} x 4 KiB pages, one call each (io-pgtable LPAE, descriptors in simulated memory), {cycles} map/unmap cycle(s) per sample";
        yield return Rate(run, "iommu map rate", mapInputs, "IommuDomain.Map", map, (long)pages * cycles);
        yield return Rate(run, "iommu unmap rate", mapInputs, "IommuDomain.Unmap", unmap, (long)pages * cycles);
        yield return Rate(run, "iommu translate rate, warm TLB", $"{tlb} mapped pages (the TLB's page entries), all hits", "Smmu.Translate", warm, (long)tlb * warmPasses,
            new BenchTarget(BenchTargetKind.RateAtLeast, 20e6, "≥ 20 M/s with a warm TLB"));
        yield return Rate(run, "iommu translate rate, cold (every one walks)", $"{pages} mapped pages in order, {pages / tlb}x the TLB: every translation misses", "Smmu.Translate", cold, (long)pages * coldPasses);
    }

    private static BenchResult Rate(BenchRun run, string name, string inputs, string call, List<double> seconds, long operations, BenchTarget? target = null)
    {
        var median = ProcessTimer.Median(seconds);
        var figure = new BenchFigure("qtz (in-process)", call, median, seconds.Min(), seconds.Max(), seconds.Count, seconds.ToArray(),
            Operations: operations, OperationsPerSecond: operations / median);
        return new BenchResult(name, inputs, run.Machine, figure, null, null, target);
    }

    private static double Map(IommuBenchBoard board, int pages)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < pages; i++)
            board.Domain.Map(new Iova(IovaBase + ((ulong)i << 12)), new PhysAddr(PhysBase + ((ulong)i << 12)), 0x1000, IommuProt.ReadWrite).ThrowIfError("map");
        return clock.Elapsed.TotalSeconds;
    }

    private static double Unmap(IommuBenchBoard board, int pages)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < pages; i++)
        {
            if (board.Domain.Unmap(new Iova(IovaBase + ((ulong)i << 12)), 0x1000) != 0x1000)
                throw new InvalidOperationException($"unmap of page {i} did not unmap 4 KiB");
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static double Translate(IommuBenchBoard board, int pages, int passes)
    {
        var smmu = board.Smmu;
        ulong sum = 0;
        var clock = Stopwatch.StartNew();
        for (var p = 0; p < passes; p++)
        {
            for (var i = 0; i < pages; i++)
                sum += smmu.Translate(IommuBenchBoard.Stream, new Iova(IovaBase + ((ulong)i << 12) + 0x10), AccessKind.Read).Address.Value;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        if (sum == 0) throw new InvalidOperationException("every translation failed");
        return seconds;
    }

    /// <summary>Passes over <paramref name="pages"/> that take at least <paramref name="minimum"/> (doubling; these runs double as warm-up).</summary>
    private static int Calibrate(IommuBenchBoard board, int pages, TimeSpan minimum)
    {
        var passes = 1;
        while (Translate(board, pages, passes) < minimum.TotalSeconds && passes < 1 << 20)
            passes *= 2;
        return passes;
    }
}

using System.Diagnostics;
using Qtz.Kernel;
using Qtz.Kernel.Iommu;
using Qtz.Soc;

namespace Qtz.Platform.Benchmarking;

/// <summary>In-process IOMMU rates: 4 KiB map calls through the kernel's io-pgtable, and SMMU translations of those pages.</summary>
internal static class IommuRates
{
    private const ushort Stream = 0x1800;
    private static readonly PhysAddr SmmuBase = new(0x1500_0000);
    private static readonly PhysAddr DdrBase = new(0x8000_0000);

    public static (double MapSeconds, double TranslateSeconds, int Translations) Measure(int pages)
    {
        var bus = new SystemBus(new VirtualClock());
        bus.AddRam("ddr", DdrBase, 64UL << 30);
        var smmu = Soc.Smmu.AddTo(bus, "apps_smmu", SmmuBase);
        var driver = new ArmSmmu(bus, BusMaster.LinuxEl2, SmmuBase, new PageAllocator(bus, BusMaster.LinuxEl2, new PhysRange(DdrBase, 256UL << 20)), smmu.ContextInterrupts);
        driver.Probe().ThrowIfError("probe");
        var domain = driver.AllocateDomain();
        driver.Attach(domain, Stream).ThrowIfError("attach");

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < pages; i++)
            domain.Map(new Iova(0x1000_0000 + ((ulong)i << 12)), new PhysAddr(0x2_0000_1000 + ((ulong)i << 12)), 0x1000, IommuProt.ReadWrite).ThrowIfError("map");
        var map = clock.Elapsed.TotalSeconds;

        const int Rounds = 8;
        ulong sum = 0;
        clock.Restart();
        for (var r = 0; r < Rounds; r++)
        {
            for (var i = 0; i < pages; i++)
                sum += smmu.Translate(Stream, new Iova(0x1000_0000 + ((ulong)i << 12) + 0x10), AccessKind.Read).Address.Value;
        }

        var translate = clock.Elapsed.TotalSeconds;
        GC.KeepAlive(sum);
        return (map, translate, pages * Rounds);
    }
}

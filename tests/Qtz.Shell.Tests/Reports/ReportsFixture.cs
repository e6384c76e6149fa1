using Qtz.Shell.Reports;
using Qtz.Shell;
using Qtz.Platform.Tracing;
using Qtz.Soc;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Time;

namespace Qtz.Shell.Tests.Reports;

/// <summary>An SA8775p-shaped board: GiBs of DDR, MiB carveouts, KiB bridges.</summary>
internal static class ReportsFixture
{
    public static readonly MemoryRegion[] Regions =
    [
        new(RegionKind.Ram, "ddr0", 0x8000_0000, 0x8000_0000),
        new(RegionKind.Ram, "ddr1", 0x1_0000_0000, 0x2_0000_0000) { Detail = "8 GiB bank" },
        new(RegionKind.Reserved, "hyp_mem", 0x9080_0000, 0x60_0000) { Detail = "no-map" },
        new(RegionKind.Carveout, "pil-adsp", 0x95c0_0000, 0x1E0_0000) { Detail = "adsp pas 1" },
        new(RegionKind.Carveout, "pil-cdsp0", 0x97a0_0000, 0x1E0_0000) { Detail = "cdsp0 pas 18" },
        new(RegionKind.Carveout, "pil-gpdsp0", 0x9ba0_0000, 0x1E0_0000) { Detail = "gpdsp0" },
        new(RegionKind.Carveout, "pil-gpdsp1", 0x9d80_0000, 0x1E0_0000),
        new(RegionKind.ShmBridge, "tzmem pool", 0x9f00_0000, 0x4000) { Detail = "handle 0x1" },
        new(RegionKind.ShmBridge, "metadata", 0x9f01_0000, 0x1000),
        new(RegionKind.Protection, "xpu adsp", 0x95c0_0000, 0x1E0_0000) { Detail = "ADSP_Q6 rwx, HLOS none" },
    ];

    public static BoardReport Report()
    {
        var log = new TraceLog();
        log.Instant(new VirtualTime(0), "rproc:adsp", "state", new Dictionary<string, string> { ["to"] = "running" });
        log.Add(TraceRecord.Complete(new VirtualTime(1_000_000), TimeSpan.FromMicroseconds(50), "scm", "PIL.PAS_AUTH_AND_RESET", new Dictionary<string, string> { ["pas_id"] = "1" }));
        log.Instant(new VirtualTime(900_000_000), "rproc:adsp", "crash", new Dictionary<string, string> { ["kind"] = "watchdog" });
        log.Instant(new VirtualTime(950_000_000), "rproc:cdsp0", "state", new Dictionary<string, string> { ["to"] = "running" });
        return new BoardReport(
            "sa8775p-ride (qhee)",
            Regions,
            [
                new SmmuMappingInfo("adsp", 0x3000, 0x95c0_0000, 0x95c0_0000, 0x1E0_0000, "rwx") { Owner = "qhee" },
                new SmmuMappingInfo("adsp", 0x3000, 0x1_7000_0000, 0x9f02_0000, 0x2000, "rw") { Owner = "qhee" },
                new SmmuMappingInfo("cdsp0", 0x3400, 0x97a0_0000, 0x97a0_0000, 0x1E0_0000, "rwx") { Owner = "qhee" },
            ],
            log.Records,
            [
                new RemoteprocStatus("adsp", RprocState.Running, true, 1) { PasId = 1, Firmware = "qcom/sa8775p/adsp.mbn", LastCrashReason = "watchdog bite" },
                new RemoteprocStatus("cdsp0", RprocState.Crashed, false, 1) { PasId = 18 },
            ])
        {
            Facts = [new("dtb", "sa8775p-ride.dtb"), new("mode", "qhee")],
            TakenAt = new VirtualTime(1_000_000_000),
        };
    }
}

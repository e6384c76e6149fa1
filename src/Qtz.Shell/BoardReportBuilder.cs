using System.Globalization;
using Qtz.Platform.Boards;
using Qtz.Shell.Reports;
using Qtz.Platform.Tracing;
using Qtz.Soc;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;

namespace Qtz.Shell;

/// <summary>Turns a board's memory, bridges, protection regions and trace into the neutral report and trace records.</summary>
public static class BoardReportBuilder
{
    public static IReadOnlyList<MemoryRegion> Regions(Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var regions = new List<MemoryRegion>();
        var m = board.Memory;
        regions.AddRange(m.Ddr.Select((d, i) => new MemoryRegion(RegionKind.Ram, m.Ddr.Count == 1 ? "ddr" : $"ddr{i}", d.Base.Value, d.Size)));
        var carveouts = board.Remoteprocs.ToDictionary(r => r.Carveout, r => r);
        foreach (var (name, range) in m.Reserved)
        {
            if (carveouts.TryGetValue(range, out var r))
                regions.Add(new MemoryRegion(RegionKind.Carveout, name, range.Base.Value, range.Size) { Detail = $"{r.Name}, PAS {r.PasId}" });
            else
                regions.Add(new MemoryRegion(RegionKind.Reserved, name, range.Base.Value, range.Size));
        }

        foreach (var r in board.Remoteprocs.Where(r => !m.Reserved.Any(x => x.Range == r.Carveout)))
            regions.Add(new MemoryRegion(RegionKind.Carveout, r.CarveoutName, r.Carveout.Base.Value, r.Carveout.Size) { Detail = $"{r.Name}, PAS {r.PasId}" });
        regions.Add(new MemoryRegion(RegionKind.Reserved, "kernel DMA (tzmem)", m.KernelDma.Base.Value, m.KernelDma.Size));
        regions.Add(new MemoryRegion(RegionKind.Reserved, "kernel page tables", m.KernelPageTables.Base.Value, m.KernelPageTables.Size));
        regions.Add(new MemoryRegion(RegionKind.Reserved, "hyp page tables", m.HypervisorPageTables.Base.Value, m.HypervisorPageTables.Size));
        regions.AddRange(board.World.Bridges.Live.Select(b => new MemoryRegion(RegionKind.ShmBridge, $"bridge 0x{b.Handle:x}", b.Range.Base.Value, b.Range.Size) { Detail = $"ns {b.NonSecure}, vmids 0x{b.NsVmids:x}" }));
        regions.AddRange(board.Bus.Protection.Regions.Select(p => new MemoryRegion(RegionKind.Protection, p.Name, p.Range.Base.Value, p.Range.Size) { Detail = p.ToString() }));
        return regions;
    }

    public static IReadOnlyList<TraceRecord> Records(Board board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var records = new List<TraceRecord>();
        foreach (var e in board.Trace.Events.OrderBy(e => e.Time))
        {
            if (e.Smc is { } smc)
            {
                records.Add(TraceRecord.Complete(e.Time, smc.Duration, "scm", smc.Name, new Dictionary<string, string>
                {
                    ["caller"] = smc.Caller.ToString(),
                    ["status"] = smc.StatusName,
                    ["result0"] = "0x" + smc.Result0.ToString("x", CultureInfo.InvariantCulture),
                    ["hyp_trapped"] = smc.TrappedByHypervisor ? "yes" : "no",
                }));
                continue;
            }

            var track = e.Kind switch
            {
                BoardTraceKind.Remoteproc => e.Source.Replace("remoteproc:", "rproc:", StringComparison.Ordinal),
                BoardTraceKind.Dsp => "dsp:" + e.Source,
                BoardTraceKind.SmmuMap or BoardTraceKind.SmmuUnmap or BoardTraceKind.SmmuFault => "smmu",
                BoardTraceKind.BusFault => "bus",
                _ => e.Source,
            };
            records.Add(TraceRecord.Instant(e.Time, track, e.Kind.ToString().ToLowerInvariant(), new Dictionary<string, string> { ["what"] = e.Text }));
        }

        return records;
    }

    public static BoardReport Build(Board board, IReadOnlyList<RemoteprocStatus> state)
    {
        ArgumentNullException.ThrowIfNull(board);
        var target = new BoardShellTarget(board);
        var timeline = Records(board).Where(r => r.Track.StartsWith("rproc:", StringComparison.Ordinal) || r.Track == "scm").ToArray();
        return new BoardReport($"qtz board report — {board.DeviceTree.Name}", Regions(board), target.SmmuMappings(null), timeline, state)
        {
            Facts = [new("mode", board.Options.Mode.ToString().ToLowerInvariant()), new("el2 design", board.Options.El2Design.ToString().ToLowerInvariant()), new("firmware", board.Firmware.Description)],
            TakenAt = board.Clock.Now,
        };
    }
}

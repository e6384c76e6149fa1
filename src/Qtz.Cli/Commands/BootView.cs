using System.Globalization;
using Qtz.Platform.Boards;

namespace Qtz.Cli.Commands;

/// <summary>The boot table, as text and as JSON.</summary>
internal static class BootView
{
    internal sealed record Row(string Name, string Soc, uint PasId, string Carveout, string Firmware, string? DtbFirmware, uint? DtbPasId, IReadOnlyList<string> ProxyPowerDomains,
        string? Signer, string State, double? BootTimeMs, int SmmuMappings, string? Reason);

    /// <summary>One PAS user (remoteproc, video, gpu-zap, ipa, wcnss) with its state and, when not running, why.</summary>
    internal sealed record PeripheralRow(string Name, uint PasId, string Kind, string State,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Reason);

    internal sealed record View(string Mode, string Tee, string? PasBackend, string El2Design, string DeviceTree, string Firmware, IReadOnlyList<string> Notes, bool AllRunning, IReadOnlyList<Row> Remoteprocs, IReadOnlyList<PeripheralRow> Peripherals);

    internal static View From(BootReport report) => new(
        report.Mode.ToString().ToLowerInvariant(), report.Tee.ToString().ToLowerInvariant(), report.PasBackend, report.El2Design.ToString().ToLowerInvariant(), report.DeviceTree, report.Firmware, report.Notes, report.AllRunning,
        report.Remoteprocs.Select(r => new Row(r.Name, r.Soc, r.PasId, Carveout(r), r.Firmware, r.DtbFirmware, r.DtbPasId, r.ProxyPowerDomains,
            r.Signer, r.State, r.BootTime?.TotalMilliseconds, r.SmmuMappings, r.Failure)).ToArray(),
        report.Peripherals.Select(p => new PeripheralRow(p.Name, p.PasId, p.Kind, p.State, p.Reason)).ToArray());

    internal static void Render(TextWriter o, BootReport report)
    {
        o.WriteLine($"board: {report.DeviceTree}; mode {report.Mode.ToString().ToLowerInvariant()}" + (report.Mode == KernelMode.Kvm ? $", EL2 design {report.El2Design.ToString().ToLowerInvariant()}" : "") + $"; PAS backend {report.PasBackend ?? "none"} ({report.Tee.ToString().ToLowerInvariant()})" + $"; firmware: {report.Firmware}");
        foreach (var note in report.Notes) o.WriteLine("note: " + note);
        var rows = report.Remoteprocs.Select(r => new[]
        {
            r.Name, r.PasId.ToString(CultureInfo.InvariantCulture), Carveout(r), r.Firmware, r.Signer ?? "-", r.State,
            r.BootTime is { } t ? $"{t.TotalMilliseconds:F1} ms" : "-", r.SmmuMappings.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        if (report.Remoteprocs.Count == 0)
        {
            o.WriteLine("no PAS remoteproc in the tree; its other PAS users follow");
            RenderOtherPasUsers(o, report);
            return;
        }

        string[] header = ["NAME", "PAS", "CARVEOUT", "FIRMWARE", "SIGNER/ROOT", "STATE", "BOOT (virtual)", "SMMU MAPS"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        o.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows) o.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var r in report.Remoteprocs.Where(r => r.DtbPasId is not null))
            o.WriteLine($"{r.Name}: DTB image {r.DtbFirmware} (PAS 0x{r.DtbPasId:x}) authenticated before the main image");
        foreach (var r in report.Remoteprocs.Where(r => r.ProxyPowerDomains.Count > 0))
            o.WriteLine($"{r.Name}: proxy power domains {string.Join(", ", r.ProxyPowerDomains)} (voted at start, dropped at handover)");
        foreach (var r in report.Remoteprocs.Where(r => !r.Running)) o.WriteLine($"{r.Name}: {r.State}: {r.Failure}");
        var running = report.Remoteprocs.Count(r => r.Running);
        o.WriteLine($"{running} of {report.Remoteprocs.Count} remoteprocs running");
        RenderOtherPasUsers(o, report);
    }

    /// <summary>The PAS users that are not remoteprocs: a second table, their reasons, and how many are up.</summary>
    private static void RenderOtherPasUsers(TextWriter o, BootReport report)
    {
        var others = report.Peripherals.Where(p => p.Kind != "remoteproc").ToList();
        if (others.Count == 0) return;
        string[] header = ["PERIPHERAL", "PAS", "KIND", "FIRMWARE", "STATE"];
        var rows = others.Select(p => new[] { p.Name, p.PasId.ToString(CultureInfo.InvariantCulture), p.Kind, p.Firmware, p.State }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        o.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows) o.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var p in others.Where(p => p.Reason is not null && p.State != "running")) o.WriteLine($"{p.Name}: {p.State}: {p.Reason}");
        o.WriteLine($"{others.Count(p => p.Ok)} of {others.Count} other PAS users up (running, or off by design)");
    }

    private static string Carveout(RemoteprocReport r) => $"{r.CarveoutName} 0x{r.Carveout.Base.Value:x}+0x{r.Carveout.Size:x}";
}

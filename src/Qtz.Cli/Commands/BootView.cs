using System.Globalization;
using Qtz.Platform.Boards;

namespace Qtz.Cli.Commands;

/// <summary>The boot table, as text and as JSON.</summary>
internal static class BootView
{
    internal sealed record Row(string Name, string Soc, uint PasId, string Carveout, string Firmware, string? DtbFirmware, uint? DtbPasId, IReadOnlyList<string> ProxyPowerDomains,
        string? Signer, string State, double? BootTimeMs, int SmmuMappings, string? Reason);

    internal sealed record View(string Mode, string Tee, string? PasBackend, string El2Design, string DeviceTree, string Firmware, IReadOnlyList<string> Notes, bool AllRunning, IReadOnlyList<Row> Remoteprocs);

    internal static View From(BootReport report) => new(
        report.Mode.ToString().ToLowerInvariant(), report.Tee.ToString().ToLowerInvariant(), report.PasBackend, report.El2Design.ToString().ToLowerInvariant(), report.DeviceTree, report.Firmware, report.Notes, report.AllRunning,
        report.Remoteprocs.Select(r => new Row(r.Name, r.Soc, r.PasId, Carveout(r), r.Firmware, r.DtbFirmware, r.DtbPasId, r.ProxyPowerDomains,
            r.Signer, r.State, r.BootTime?.TotalMilliseconds, r.SmmuMappings, r.Failure)).ToArray());

    internal static void Render(TextWriter o, BootReport report)
    {
        o.WriteLine($"board: {report.DeviceTree}; mode {report.Mode.ToString().ToLowerInvariant()}" + (report.Mode == KernelMode.Kvm ? $", EL2 design {report.El2Design.ToString().ToLowerInvariant()}" : "") + $"; PAS backend {report.PasBackend ?? "none"} ({report.Tee.ToString().ToLowerInvariant()})" + $"; firmware: {report.Firmware}");
        foreach (var note in report.Notes) o.WriteLine("note: " + note);
        var rows = report.Remoteprocs.Select(r => new[]
        {
            r.Name, r.PasId.ToString(CultureInfo.InvariantCulture), Carveout(r), r.Firmware, r.Signer ?? "-", r.State,
            r.BootTime is { } t ? $"{t.TotalMilliseconds:F1} ms" : "-", r.SmmuMappings.ToString(CultureInfo.InvariantCulture),
        }).ToList();
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
    }

    private static string Carveout(RemoteprocReport r) => $"{r.CarveoutName} 0x{r.Carveout.Base.Value:x}+0x{r.Carveout.Size:x}";
}

using System.Globalization;
using Qtz.Shell.Reports;
using Qtz.Soc.Addressing;

namespace Qtz.Shell;

/// <summary>The plain-text tables the verbs print (aligned columns, no colour: scripts diff them).</summary>
internal static class ShellTables
{
    public static string StateName(RprocState state) => state.ToString().ToLowerInvariant();

    public static void Remoteprocs(TextWriter output, IReadOnlyList<RemoteprocStatus> all) =>
        Table(output, ["NAME", "STATE", "RECOVERY", "CRASHES", "FIRMWARE"],
            all.Select(r => new[] { r.Name, StateName(r.State), r.Recovery ? "enabled" : "disabled", r.Crashes.ToString(CultureInfo.InvariantCulture), r.Firmware ?? "-" }));

    public static void Status(TextWriter output, RemoteprocStatus r)
    {
        output.WriteLine($"name: {r.Name}");
        output.WriteLine($"state: {StateName(r.State)}");
        output.WriteLine($"recovery: {(r.Recovery ? "enabled" : "disabled")}");
        output.WriteLine($"coredump: {(r.Coredump ? "enabled" : "disabled")}");
        if (r.PendingCoredump is { } pending) output.WriteLine($"devcoredump: unread, from {pending}");
        output.WriteLine($"crashes: {r.Crashes.ToString(CultureInfo.InvariantCulture)}");
        if (r.PasId is { } pas) output.WriteLine($"pas_id: {pas.ToString(CultureInfo.InvariantCulture)}");
        if (r.Firmware is { } fw) output.WriteLine($"firmware: {fw}");
        if (r.LastCrashReason is { } reason) output.WriteLine($"last_crash: {reason}");
    }

    public static void Mappings(TextWriter output, IReadOnlyList<SmmuMappingInfo> mappings)
    {
        if (mappings.Count == 0)
        {
            output.WriteLine("no SMMU mappings");
            return;
        }

        Table(output, ["REMOTEPROC", "SID", "IOVA", "PHYS", "SIZE", "PROT", "OWNER"],
            mappings.Select(m => new[] { m.Remoteproc, ShellValues.Hex(m.StreamId), ShellValues.Hex(m.Iova), ShellValues.Hex(m.PhysicalAddress), ShellValues.Size(m.Size), m.Permissions, m.Owner }));
    }

    public static void MemoryMap(TextWriter output, IReadOnlyList<MemoryRegion> regions) =>
        Table(output, ["START", "END", "SIZE", "KIND", "NAME", "DETAIL"],
            regions.OrderBy(r => r.Base).ThenBy(r => r.Kind).Select(r => new[] { ShellValues.Hex(r.Base), ShellValues.Hex(r.Last), ShellValues.Size(r.Size), MemoryRegion.KindName(r.Kind), r.Name, r.Detail ?? "" }));

    public static void Fuses(TextWriter output, IReadOnlyList<FuseSetting> fuses) =>
        Table(output, ["FUSE", "VALUE", "MEANING"], fuses.Select(f => new[] { f.Name, f.Value, f.Description }));

    private static void Table(TextWriter output, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        foreach (var row in all)
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
    }
}

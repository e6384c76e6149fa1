using System.Globalization;
using Qtz.DeviceTree;
using Qtz.DeviceTree.Bindings;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Properties;
using Qtz.DeviceTree.Source;

namespace Qtz.Cli.Commands;

/// <summary>JSON shapes for <c>qtz dt … --json</c>: numbers as "0x…" strings, nodes as a flat list (no depth limit).</summary>
internal static class DtJson
{
    public sealed record PropertyJson(string Name, string Kind, object? Value);

    public sealed record NodeJson(string Path, IReadOnlyList<PropertyJson> Properties);

    public sealed record RangeJson(string Address, string Size);

    public sealed record TreeJson(string File, string BootCpuId, IReadOnlyList<RangeJson> Reserve, IReadOnlyList<NodeJson> Nodes);

    public sealed record ReferenceJson(string Target, string Phandle, IReadOnlyList<string> Args);

    public sealed record MemoryRegionJson(string Path, IReadOnlyList<RangeJson> Reg, bool NoMap);

    public sealed record DevmemJson(string DeviceAddress, string PhysicalAddress, string Size, string Prot);

    public sealed record NodeDetailJson(
        string Path, string? Phandle, IReadOnlyList<string>? Compatible, string? Status, IReadOnlyList<RangeJson>? Reg,
        IReadOnlyList<ReferenceJson>? Interrupts, IReadOnlyList<ReferenceJson>? Iommus, IReadOnlyList<MemoryRegionJson>? MemoryRegion,
        IReadOnlyList<DevmemJson>? Devmem, IReadOnlyList<PropertyJson> Properties, IReadOnlyList<string> Children, IReadOnlyList<string> Errors);

    public sealed record CheckedNodeJson(string Path, string Compatible, string Binding, bool Passed, IReadOnlyList<BindingFinding> Findings);

    public sealed record CheckJson(bool Passed, IReadOnlyList<CheckedNodeJson> Nodes);

    public static CheckJson Check(BindingReport report) =>
        new(report.Passed, [.. report.Nodes.Select(n => new CheckedNodeJson(n.Path, n.Compatible, n.Binding, n.Passed, n.Findings))]);

    public static TreeJson Tree(string file, DtTree tree) => new(
        file,
        Hex(tree.BootCpuId),
        tree.ReserveEntries.Select(e => new RangeJson(Hex(e.Address), Hex(e.Size))).ToArray(),
        tree.Root.DescendantsAndSelf().Select(n => new NodeJson(n.Path, n.Properties.Select(Property).ToArray())).ToArray());

    public static PropertyJson Property(DtProperty p)
    {
        var kind = DtsPrinter.GuessKind(p.Span);
        object? value = kind switch
        {
            "string" => p.AsStringList().ToArray(),
            "cells" => p.AsCells().Select(c => Hex(c)).ToArray(),
            "bytes" => Convert.ToHexStringLower(p.Span),
            _ => null,
        };
        return new PropertyJson(p.Name, kind, value);
    }

    /// <summary>A node with its decoded standard properties; a value that does not decode is reported, not fatal.</summary>
    public static NodeDetailJson NodeDetail(DtNode node)
    {
        var errors = new List<string>();
        return new NodeDetailJson(
            node.Path,
            node.Phandle is { } ph ? Hex(ph) : null,
            Try(() => node.GetStringList("compatible"), errors),
            Try(() => node.GetString("status"), errors),
            Try(() => node.GetReg().Select(r => new RangeJson(Hex(r.Address), Hex(r.Size))).ToArray(), errors),
            Try(() => node.GetInterrupts().Select(Reference).ToArray(), errors),
            Try(() => node.GetIommus().Select(Reference).ToArray(), errors),
            Try(() => node.GetMemoryRegions().Select(r => new MemoryRegionJson(r.Path, r.GetReg().Select(g => new RangeJson(Hex(g.Address), Hex(g.Size))).ToArray(), r.HasProperty("no-map"))).ToArray(), errors),
            Try(() => node.GetDevmem().Select(d => new DevmemJson(Hex(d.DeviceAddress), Hex(d.PhysicalAddress), Hex(d.Size), d.Protection.ToString())).ToArray(), errors),
            node.Properties.Select(Property).ToArray(),
            node.Children.Select(c => c.Name).ToArray(),
            errors);
    }

    private static ReferenceJson Reference(PhandleReference r) => new(r.Target.Path, Hex(r.Phandle), r.Args.Select(a => Hex(a)).ToArray());

    private static T? Try<T>(Func<T> read, List<string> errors)
    {
        try { return read(); }
        catch (DtValueException error)
        {
            errors.Add(error.Message);
            return default;
        }
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}

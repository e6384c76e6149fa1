using System.Globalization;
using Qtz.DeviceTree;

namespace Qtz.Cli.Commands;

/// <summary>JSON shapes for <c>qtz dt … --json</c>: numbers as "0x…" strings, nodes as a flat list (no depth limit).</summary>
internal static class DtJson
{
    public sealed record PropertyJson(string Name, string Kind, object? Value);

    public sealed record NodeJson(string Path, IReadOnlyList<PropertyJson> Properties);

    public sealed record TreeJson(string File, string BootCpuId, IReadOnlyList<object> Reserve, IReadOnlyList<NodeJson> Nodes);

    public static TreeJson Tree(string file, DtTree tree) => new(
        file,
        Hex(tree.BootCpuId),
        tree.ReserveEntries.Select(e => (object)new { address = Hex(e.Address), size = Hex(e.Size) }).ToArray(),
        tree.Root.DescendantsAndSelf().Select(n => new NodeJson(n.Path, n.Properties.Select(Property).ToArray())).ToArray());

    public static PropertyJson Property(DtProperty p)
    {
        var kind = DtsPrinter.GuessKind(p.Span);
        object? value = kind switch
        {
            "string" => p.AsStringList(),
            "cells" => p.AsCells().Select(c => Hex(c)).ToArray(),
            "bytes" => Convert.ToHexStringLower(p.Span),
            _ => null,
        };
        return new PropertyJson(p.Name, kind, value);
    }

    /// <summary>A node with its decoded standard properties; a value that does not decode is reported, not fatal.</summary>
    public static object NodeDetail(DtNode node)
    {
        var errors = new List<string>();
        return new
        {
            path = node.Path,
            phandle = node.Phandle is { } ph ? Hex(ph) : null,
            compatible = Try(() => node.GetStringList("compatible"), errors),
            status = Try(() => node.GetString("status"), errors),
            reg = Try(() => node.GetReg().Select(r => new { address = Hex(r.Address), size = Hex(r.Size) }).ToArray(), errors),
            interrupts = Try(() => node.GetInterrupts().Select(Reference).ToArray(), errors),
            iommus = Try(() => node.GetIommus().Select(Reference).ToArray(), errors),
            memoryRegion = Try(() => node.GetMemoryRegions().Select(r => new { path = r.Path, reg = r.GetReg().Select(g => new { address = Hex(g.Address), size = Hex(g.Size) }), noMap = r.HasProperty("no-map") }).ToArray(), errors),
            devmem = Try(() => node.GetDevmem().Select(d => new { deviceAddress = Hex(d.DeviceAddress), physicalAddress = Hex(d.PhysicalAddress), size = Hex(d.Size), prot = d.Protection.ToString() }).ToArray(), errors),
            properties = node.Properties.Select(Property).ToArray(),
            children = node.Children.Select(c => c.Name).ToArray(),
            errors,
        };
    }

    private static object Reference(PhandleReference r) => new { target = r.Target.Path, phandle = Hex(r.Phandle), args = r.Args.Select(a => Hex(a)).ToArray() };

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

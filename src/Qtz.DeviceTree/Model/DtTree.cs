using Qtz.DeviceTree.Fdt;
using Qtz.DeviceTree.Source;

namespace Qtz.DeviceTree.Model;

/// <summary>
/// A whole device tree: the root node, the memory reservation block and the boot CPU id of the
/// header. Load one from a blob with <see cref="Parse"/>/<see cref="Load"/>, write it back with
/// <see cref="ToBlob"/> (byte-identical for dtc-made blobs), print it with <see cref="ToDts"/>.
/// </summary>
public sealed class DtTree
{
    public DtTree() => Root = DtNode.CreateRoot();

    internal DtTree(DtNode root) => Root = root;

    public DtNode Root { get; }

    /// <summary>The <c>/memreserve/</c> entries, in blob order.</summary>
    public List<FdtReserveEntry> ReserveEntries { get; } = [];

    public uint BootCpuId { get; set; }

    public static DtTree Parse(ReadOnlySpan<byte> blob) => FdtReader.Read(blob);

    public static DtTree Load(string path) => Parse(File.ReadAllBytes(path));

    public byte[] ToBlob() => FdtWriter.Write(this);

    /// <summary>The tree as <c>dtc -I dtb -O dts</c> (1.6.1) prints it.</summary>
    public string ToDts() => DtsPrinter.Print(this);

    /// <summary>The node at an absolute path or an alias-based path (<c>serial0</c>, <c>serial0/child</c>).</summary>
    public DtNode? FindNode(string path) => DtPaths.Find(this, path);

    public DtNode GetNode(string path) =>
        FindNode(path) ?? throw new DtNotFoundException($"no node at '{path}' in the device tree");

    public DtNode? FindByPhandle(uint phandle) => Root.GetPhandleIndex().Find(phandle);

    /// <summary>The largest phandle used in the tree (0 when none), as libfdt's fdt_find_max_phandle.</summary>
    public uint MaxPhandle => Root.GetPhandleIndex().Max;

    /// <summary>Pairs of nodes that claim the same phandle (a malformed tree; the first one wins lookups).</summary>
    public IReadOnlyList<(uint Phandle, DtNode First, DtNode Second)> DuplicatePhandles => Root.GetPhandleIndex().Duplicates;

    /// <summary>The <c>/aliases</c> node's string properties: alias → path.</summary>
    public IReadOnlyDictionary<string, string> Aliases => StringTable("aliases");

    /// <summary>The <c>/__symbols__</c> node (dtc -@): label → path. Empty in the shipped kernel DTBs.</summary>
    public IReadOnlyDictionary<string, string> Symbols => StringTable("__symbols__");

    /// <summary>A deep copy (overlays damage the overlay tree they apply, as libfdt does).</summary>
    public DtTree Clone()
    {
        var copy = new DtTree { BootCpuId = BootCpuId };
        copy.ReserveEntries.AddRange(ReserveEntries);
        CopyInto(Root, copy.Root);
        return copy;
    }

    private static void CopyInto(DtNode from, DtNode to)
    {
        foreach (var p in from.Properties) to.AddParsedProperty(p.Name, p.Span.ToArray());
        foreach (var c in from.Children) CopyInto(c, to.AddParsedChild(c.Name));
    }

    private Dictionary<string, string> StringTable(string nodeName)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = Root.FindChild(nodeName);
        if (node is null) return result;
        foreach (var p in node.Properties)
        {
            if (p.Length > 0 && p.Span[^1] == 0 && p.Span.IndexOf((byte)0) == p.Length - 1)
                result[p.Name] = p.AsString();
        }

        return result;
    }
}

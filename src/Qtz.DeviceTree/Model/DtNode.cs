using System.Text;

namespace Qtz.DeviceTree.Model;

/// <summary>
/// A node of a mutable device tree: ordered properties and children, as in the blob. Order matters
/// (dtc prints it, overlays insert at fixed places), so everything here keeps it.
/// </summary>
public sealed partial class DtNode
{
    private readonly List<DtProperty> _properties = [];
    private readonly List<DtNode> _children = [];
    private PhandleIndex? _phandleIndex;
    private int _version;

    private DtNode(string name, DtNode? parent)
    {
        Name = name;
        Parent = parent;
    }

    internal static DtNode CreateRoot() => new("", null);

    /// <summary>The full node name, <c>name@unit-address</c>; empty for the root.</summary>
    public string Name { get; }

    public DtNode? Parent { get; private set; }

    public IReadOnlyList<DtProperty> Properties => _properties;

    public IReadOnlyList<DtNode> Children => _children;

    public bool IsRoot => Parent is null;

    /// <summary>The name without the unit address (<c>remoteproc</c> for <c>remoteproc@30000000</c>).</summary>
    public string BaseName => Name.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 ? Name[..at] : Name;

    /// <summary>The unit address after <c>@</c>, or empty.</summary>
    public string UnitAddress => Name.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 ? Name[(at + 1)..] : "";

    public DtNode Root
    {
        get
        {
            var node = this;
            while (node.Parent is not null) node = node.Parent;
            return node;
        }
    }

    /// <summary>The absolute DT path (<c>/soc@0/remoteproc@30000000</c>).</summary>
    public string Path
    {
        get
        {
            if (Parent is null) return "/";
            var parts = new Stack<string>();
            for (var node = this; node.Parent is not null; node = node.Parent)
                parts.Push(node.Name);
            var sb = new StringBuilder();
            foreach (var part in parts) sb.Append('/').Append(part);
            return sb.ToString();
        }
    }

    public int Depth
    {
        get
        {
            var depth = 0;
            for (var node = this; node.Parent is not null; node = node.Parent) depth++;
            return depth;
        }
    }

    /// <summary>The node's phandle (<c>phandle</c>, else <c>linux,phandle</c>), when it has one of 4 bytes.</summary>
    public uint? Phandle
    {
        get
        {
            var p = FindProperty("phandle") ?? FindProperty("linux,phandle");
            return p is { Length: 4 } ? p.AsU32() : null;
        }
    }

    public DtProperty? FindProperty(string name)
    {
        foreach (var p in _properties)
            if (p.Name == name) return p;
        return null;
    }

    public bool HasProperty(string name) => FindProperty(name) is not null;

    /// <summary>The property, or a <see cref="DtValueException"/> naming this node when it is missing.</summary>
    public DtProperty GetProperty(string name) =>
        FindProperty(name) ?? throw new DtValueException($"{Path}: required property '{name}' is missing", Path);

    /// <summary>Replaces the value in place when the property exists, else appends it (dtc's order for new properties).</summary>
    public DtProperty SetProperty(string name, ReadOnlySpan<byte> value)
    {
        var existing = FindProperty(name);
        if (existing is not null)
        {
            existing.Replace(value.ToArray());
            Touch();
            return existing;
        }

        return InsertProperty(_properties.Count, name, value);
    }

    public DtProperty SetString(string name, string value) => SetProperty(name, DtValues.String(value));

    public DtProperty SetCells(string name, params uint[] cells) => SetProperty(name, DtValues.Cells(cells));

    /// <summary>Inserts a new property at <paramref name="index"/> (libfdt adds new properties first in the node).</summary>
    public DtProperty InsertProperty(int index, string name, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var property = new DtProperty(this, name, value.ToArray());
        _properties.Insert(index, property);
        Touch();
        return property;
    }

    public bool RemoveProperty(string name)
    {
        var index = _properties.FindIndex(p => p.Name == name);
        if (index < 0) return false;
        _properties.RemoveAt(index);
        Touch();
        return true;
    }

    /// <summary>
    /// The first child, in order, named <paramref name="name"/> or, when the name has no unit address,
    /// <c>name@…</c> — libfdt's fdt_subnode_offset, so with <c>a@1</c> before <c>a</c>, "a" finds <c>a@1</c>.
    /// </summary>
    public DtNode? FindChild(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bare = !name.Contains('@', StringComparison.Ordinal);
        foreach (var c in _children)
        {
            if (c.Name == name) return c;
            if (bare && c.Name.Length > name.Length && c.Name[name.Length] == '@' && c.Name.StartsWith(name, StringComparison.Ordinal))
                return c;
        }

        return null;
    }

    public DtNode AddChild(string name) => InsertChild(_children.Count, name);

    /// <summary>Inserts a new child at <paramref name="index"/> (libfdt adds new subnodes first).</summary>
    public DtNode InsertChild(int index, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
            throw new ArgumentException($"node name '{name}' must not contain '/'", nameof(name));
        var child = new DtNode(name, this);
        _children.Insert(index, child);
        Touch();
        return child;
    }

    /// <summary>The existing child of that exact name, or a new one appended.</summary>
    public DtNode GetOrAddChild(string name)
    {
        foreach (var c in _children)
            if (c.Name == name) return c;
        return AddChild(name);
    }

    public bool RemoveChild(DtNode child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (!_children.Remove(child)) return false;
        child.Parent = null;
        Touch();
        return true;
    }

    /// <summary>This node and all below it, depth first in tree order.</summary>
    public IEnumerable<DtNode> DescendantsAndSelf()
    {
        var stack = new Stack<DtNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            for (var i = node._children.Count - 1; i >= 0; i--)
                stack.Push(node._children[i]);
        }
    }

    internal void AddParsedProperty(string name, byte[] value) => _properties.Add(new DtProperty(this, name, value));

    internal DtNode AddParsedChild(string name)
    {
        var child = new DtNode(name, this);
        _children.Add(child);
        return child;
    }

    private void Touch()
    {
        var root = Root;
        root._version++;
        root._phandleIndex = null;
    }

    internal PhandleIndex GetPhandleIndex()
    {
        var root = Root;
        if (root._phandleIndex is null || root._phandleIndex.Version != root._version)
            root._phandleIndex = PhandleIndex.Build(root, root._version);
        return root._phandleIndex;
    }

    public override string ToString() => Path;
}

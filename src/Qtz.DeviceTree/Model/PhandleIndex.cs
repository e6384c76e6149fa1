namespace Qtz.DeviceTree.Model;

/// <summary>phandle → node for one version of a tree; rebuilt lazily after any change.</summary>
internal sealed class PhandleIndex
{
    private readonly Dictionary<uint, DtNode> _byPhandle = [];
    private readonly List<(uint Phandle, DtNode First, DtNode Second)> _duplicates = [];

    private PhandleIndex(int version) => Version = version;

    public int Version { get; }

    public uint Max { get; private set; }

    public IReadOnlyList<(uint Phandle, DtNode First, DtNode Second)> Duplicates => _duplicates;

    public DtNode? Find(uint phandle) => _byPhandle.GetValueOrDefault(phandle);

    public static PhandleIndex Build(DtNode root, int version)
    {
        var index = new PhandleIndex(version);
        foreach (var node in root.DescendantsAndSelf())
        {
            if (node.Phandle is not { } phandle) continue;
            // 0 and 0xffffffff are not valid phandles (the latter marks an unresolved reference).
            if (phandle is 0 or uint.MaxValue) continue;
            if (!index._byPhandle.TryAdd(phandle, node))
                index._duplicates.Add((phandle, index._byPhandle[phandle], node));
            index.Max = Math.Max(index.Max, phandle);
        }

        return index;
    }
}

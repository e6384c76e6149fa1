namespace Qtz.DeviceTree.Model;

/// <summary>Path resolution as libfdt's fdt_path_offset: absolute paths, or an alias as the first component.</summary>
internal static class DtPaths
{
    public static DtNode? Find(DtTree tree, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) return null;
        DtNode? node;
        string rest;
        if (path[0] == '/')
        {
            node = tree.Root;
            rest = path[1..];
        }
        else
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            var alias = slash < 0 ? path : path[..slash];
            if (!tree.Aliases.TryGetValue(alias, out var target) || target.Length == 0 || target[0] != '/') return null;
            node = Find(tree, target);
            rest = slash < 0 ? "" : path[(slash + 1)..];
        }

        foreach (var part in rest.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node?.FindChild(part);
            if (node is null) return null;
        }

        return node;
    }
}

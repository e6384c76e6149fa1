using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Properties;

/// <summary>Memory views of a tree: RAM from <c>/memory</c>, carveouts from <c>/reserved-memory</c>.</summary>
public static class DtMemory
{
    /// <summary>RAM banks: the <c>reg</c> of every top-level node with device_type "memory" (or named memory@…).</summary>
    public static IReadOnlyList<RegEntry> GetMemory(this DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return tree.Root.Children
            .Where(n => n.GetString("device_type") == "memory" || n.BaseName == "memory")
            .SelectMany(n => n.GetReg())
            .ToArray();
    }

    /// <summary>The children of <c>/reserved-memory</c>, in tree order.</summary>
    public static IReadOnlyList<ReservedRegion> GetReservedMemory(this DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var reserved = tree.Root.FindChild("reserved-memory");
        if (reserved is null) return [];
        return reserved.Children.Select(c => new ReservedRegion(c, c.GetReg(), c.HasProperty("no-map"))).ToArray();
    }
}

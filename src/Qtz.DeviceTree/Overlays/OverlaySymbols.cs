using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Overlays;

/// <summary>libfdt's overlay_symbol_update: overlay labels become base <c>__symbols__</c> with target paths.</summary>
internal static class OverlaySymbols
{
    private const string OverlayDir = "/__overlay__";

    public static void Merge(DtTree baseTree, DtTree ov, List<(DtNode Fragment, DtNode Target, string? TargetPath)> targets)
    {
        var ovSymbols = ov.Root.FindChild("__symbols__");
        if (ovSymbols is null) return;
        var baseSymbols = DtOverlay.FindSubnodeAsLibfdt(baseTree.Root, "__symbols__") ?? baseTree.Root.InsertChild(0, "__symbols__");
        foreach (var symbol in ovSymbols.Properties)
        {
            var span = symbol.Span;
            if (span.Length < 1 || span.IndexOf((byte)0) != span.Length - 1)
                DtThrow.Overlay($"{symbol.Location} is not a single string (FDT_ERR_BADVALUE)");
            var path = symbol.AsString();
            if (path.Length == 0 || path[0] != '/') DtThrow.Overlay($"{symbol.Location} = \"{path}\" is not an absolute path (FDT_ERR_BADVALUE)");
            var slash = path.IndexOf('/', 1);
            if (slash < 0) continue; // refers to something that does not end up in the base
            var rest = path[slash..];
            string relative;
            if (rest.StartsWith(OverlayDir + "/", StringComparison.Ordinal) && rest.Length > OverlayDir.Length + 1)
                relative = rest[(OverlayDir.Length + 1)..];
            else if (rest == OverlayDir)
                relative = "";
            else
                continue;
            var fragmentName = path[1..slash];
            var fragment = DtOverlay.FindSubnodeAsLibfdt(ov.Root, fragmentName);
            if (fragment?.FindChild("__overlay__") is null)
                DtThrow.Overlay($"{symbol.Location} points into {fragmentName}, which is not a fragment with __overlay__ (FDT_ERR_BADOVERLAY)");
            var entry = targets.Find(t => ReferenceEquals(t.Fragment, fragment));
            var targetPath = entry.TargetPath ?? entry.Target.Path;
            // libfdt joins target and relative path with '/', except that a root target contributes only the '/'.
            var value = targetPath.Length > 1 ? targetPath + "/" + relative : "/" + relative;
            var bytes = DtValues.String(value);
            if (baseSymbols.FindProperty(symbol.Name) is not null) baseSymbols.SetProperty(symbol.Name, bytes);
            else baseSymbols.InsertProperty(0, symbol.Name, bytes);
        }
    }
}

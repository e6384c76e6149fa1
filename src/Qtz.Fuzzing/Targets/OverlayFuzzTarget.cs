using Qtz.Platform.Boards;
using Qtz.DeviceTree;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree.Overlays;

namespace Qtz.Fuzzing.Targets;

/// <summary>
/// Overlay application. Byte 0 of an input picks the mode: even — the rest is an overlay applied to
/// the base tree (the default board's real DTB when the corpus has it, else its skeleton with the same
/// target nodes); odd — the rest is a base tree the shipped overlays are applied to. Invariant: a merged tree
/// writes a blob that parses again.
/// </summary>
internal sealed class OverlayFuzzTarget : FuzzTarget
{
    private readonly DtTree _base;
    private readonly byte[][] _shipped = ShippedOverlays.Names.Select(ShippedOverlays.Blob).ToArray();

    public OverlayFuzzTarget(FuzzTargetContext context)
    {
        var real = FuzzCorpus.Files(context, "dtb", ".dtb").FirstOrDefault(f => f.Name == DefaultBoard.DtbFileName);
        _base = real is not null ? DtTree.Load(real.FullName) : DtGenerator.OverlaySkeleton();
    }

    public override string Name => "overlay";

    public override string Description => "device-tree overlays";

    public override FuzzByteOrder ByteOrder => FuzzByteOrder.BigEndian;

    public override IReadOnlyList<byte[]> Seeds(Random random) =>
        [.. _shipped.Select(o => (byte[])[0, .. o]), [1, .. DtGenerator.OverlaySkeleton().ToBlob()]];

    public override void Execute(byte[] input)
    {
        if (input.Length == 0) return;
        DtTree merged;
        if (input[0] % 2 == 0)
        {
            var overlay = DtTree.Parse(input.AsSpan(1));
            merged = _base.Clone();
            DtOverlay.Apply(merged, overlay);
        }
        else
        {
            merged = DtTree.Parse(input.AsSpan(1));
            DtOverlay.Apply(merged, _shipped.Select(o => DtTree.Parse(o)).ToArray());
        }

        var written = merged.ToBlob();
        try
        {
            _ = DtTree.Parse(written);
        }
        catch (FormatException e)
        {
            throw new FuzzInvariantException("overlay-result-reparse", $"the merged tree's blob does not parse: {e.Message}");
        }
    }
}

using Qtz.DeviceTree;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Boards;
using Qtz.Platform.Socs;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.Soc.Addressing;

namespace Qtz.Linux.Remoteproc;

/// <summary>One PAS remoteproc node of qtz's board, read from its DT: no hardware built.</summary>
public sealed record BoardPasNode(DtNode Node, PasData Data, DspHardware Hardware, PhysRange Carveout, string CarveoutName, string FirmwareName)
{
    public string Name => Hardware.Name;

    public uint PasId => Data.PasId;
}

/// <summary>Reads qtz's board (the embedded SA8775p ride DT unless given) the way the board builder does.</summary>
public static class BoardPas
{
    public static DtTree Tree(NamedBlob? dtb) => BoardDeviceTree.Resolve(new BoardOptions { Dtb = dtb }).Tree;

    public static IReadOnlyList<BoardPasNode> Describe(NamedBlob? dtb) => Describe(Tree(dtb));

    public static IReadOnlyList<BoardPasNode> Describe(DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var identity = new BoardIdentity();
        return BoardDeviceTree.PasNodes(tree).Select(n => Read(n, identity)).ToArray();
    }

    private static BoardPasNode Read(DtNode node, BoardIdentity identity)
    {
        var match = SocCatalog.Linux.Resolve(node.GetStringList("compatible"))
            ?? throw new LinuxRemoteprocException($"{node.Path}: no compatible of Linux's PAS table");
        var data = match.Data;
        var hardware = identity.For(node, match, data.Name);
        var regions = node.GetMemoryRegions();
        if (regions.Count == 0 || regions[0].GetReg() is not [var reg, ..] || reg.Size == 0)
            throw new LinuxRemoteprocException($"{node.Path}: no memory-region with a reg (the firmware carveout)");
        var firmware = node.GetStringList("firmware-name") is [var named, ..] ? named : $"qcom/{match.Soc.Name}/{data.FirmwareName}";
        return new BoardPasNode(node, data, hardware, new PhysRange(new PhysAddr(reg.Address), reg.Size), regions[0].Name, firmware);
    }
}

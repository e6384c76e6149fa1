using Qtz.DeviceTree;
using Qtz.Kernel.Remoteproc;
using Qtz.Platform.Boards;
using Qtz.Platform.Socs;
using Qtz.Soc;

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
        return BoardDeviceTree.PasNodes(tree).Select(Read).ToArray();
    }

    private static BoardPasNode Read(DtNode node)
    {
        var data = node.GetStringList("compatible").Select(Sa8775p.FindPasData).First(d => d is not null)!;
        var hardware = Sa8775p.FindDsp(data.PasId) ?? throw new LinuxRemoteprocException($"{node.Path}: PAS id {data.PasId} has no DSP in the {Sa8775p.Name} hardware table");
        var regions = node.GetMemoryRegions();
        if (regions.Count == 0 || regions[0].GetReg() is not [var reg, ..] || reg.Size == 0)
            throw new LinuxRemoteprocException($"{node.Path}: no memory-region with a reg (the firmware carveout)");
        var firmware = node.GetStringList("firmware-name") is [var named, ..] ? named : $"qcom/{Sa8775p.Name}/{data.FirmwareName}";
        return new BoardPasNode(node, data, hardware, new PhysRange(new PhysAddr(reg.Address), reg.Size), regions[0].Name, firmware);
    }
}

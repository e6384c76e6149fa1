using Qtz.DeviceTree;
using Qtz.DeviceTree.Model;

namespace Qtz.Linux.Remoteproc;

/// <summary>
/// The guest-DT nodes the real qcom_q6v5_pas (6.12) probes for qtz's remote processors, generated from
/// qtz's board. Per DSP: the board's compatible, reg and firmware-name, its carveout as a no-map
/// reserved-memory child at the board's address, five edge-triggered SPIs named as qcom,pas-common
/// orders them, clock "xo" (a fixed clock), the SoC's proxy power domains from the shim's genpd
/// provider and "qcom,smem-states" = the shim's out-state "stop". No iommus, qcom,qmp, interconnects
/// or glink-edge: the 6.12 driver treats each as optional (load_state without a QMP is skipped).
/// </summary>
public static class GuestRemoteprocNodes
{
    public const string ShimCompatible = "qtz,rproc-shim";
    public const string ShimNode = "qtz-rproc-shim";
    public const string ClockNode = "qtz-xo";

    /// <summary>CXO on Qualcomm SoCs runs at 19.2 MHz; the driver only enables it.</summary>
    public const uint XoHz = 19_200_000;

    private const uint IrqTypeEdgeRising = 1;
    private const uint IrqTypeLevelHigh = 4;
    private const uint GicSpi = 0;

    public static void Add(DtTree tree, DtTree board, IReadOnlyList<GuestDsp> dsps, GuestSmmuWindow? smmu = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(dsps);
        var root = tree.Root;
        var next = root.DescendantsAndSelf().Select(n => n.Phandle ?? 0).DefaultIfEmpty(0u).Max() + 1;
        uint Phandle(DtNode node)
        {
            node.SetCells("phandle", next);
            return next++;
        }

        var xo = root.AddChild(ClockNode);
        xo.SetString("compatible", "fixed-clock");
        xo.SetCells("#clock-cells", 0);
        xo.SetCells("clock-frequency", XoHz);
        xo.SetString("clock-output-names", "qtz_xo");
        var xoHandle = Phandle(xo);

        var domains = dsps.SelectMany(d => d.Data.ProxyPowerDomains).Distinct(StringComparer.Ordinal).ToList();
        var shim = root.AddChild(ShimNode);
        shim.SetString("compatible", ShimCompatible);
        shim.SetCells("#power-domain-cells", 1);
        shim.SetProperty("qtz,domain-names", DtValues.StringList([.. domains]));
        var shimHandle = Phandle(shim);
        var stopHandles = new uint[dsps.Count];
        foreach (var dsp in dsps)
        {
            var entry = shim.AddChild($"smp2p-{dsp.Name}-out");
            entry.SetCells("qtz,entry", (uint)dsp.Index);
            entry.SetCells("#qcom,smem-state-cells", 1);
            stopHandles[dsp.Index] = Phandle(entry);
        }

        var reserved = root.GetOrAddChild("reserved-memory");
        if (!reserved.HasProperty("#address-cells"))
        {
            reserved.SetCells("#address-cells", 2);
            reserved.SetCells("#size-cells", 2);
            reserved.SetProperty("ranges", DtValues.Empty());
        }

        var smmuHandle = smmu is null ? 0 : AddSmmu(root, reserved, board, smmu, GuestSpis.Base(dsps.Count), Phandle);
        foreach (var dsp in dsps)
        {
            var region = reserved.AddChild(dsp.CarveoutName.Length > 0 ? dsp.CarveoutName : $"pil-{dsp.Name}@{dsp.Carveout.Base.Value:x}");
            region.SetCells("reg", Hi(dsp.Carveout.Base.Value), Lo(dsp.Carveout.Base.Value), Hi(dsp.Carveout.Size), Lo(dsp.Carveout.Size));
            region.SetProperty("no-map", DtValues.Empty());
            var regionHandle = Phandle(region);

            var boardNode = board.Root.DescendantsAndSelf().First(n => n.Name == dsp.NodeName && n.GetStringList("compatible").Contains(dsp.Data.Compatible));
            var node = root.AddChild(dsp.NodeName);
            node.SetProperty("compatible", DtValues.StringList([.. boardNode.GetStringList("compatible")]));
            if (boardNode.GetReg() is [var reg, ..])
                node.SetCells("reg", Hi(reg.Address), Lo(reg.Address), Hi(reg.Size), Lo(reg.Size));
            node.SetCells("interrupts", [.. Enumerable.Range(0, GuestSpis.Names.Count).SelectMany(k => new[] { GicSpi, (uint)dsp.Spi(k), IrqTypeEdgeRising })]);
            node.SetProperty("interrupt-names", DtValues.StringList([.. GuestSpis.Names]));
            node.SetCells("clocks", xoHandle);
            node.SetString("clock-names", "xo");
            var pds = dsp.Data.ProxyPowerDomains;
            node.SetCells("power-domains", [.. pds.SelectMany(p => new[] { shimHandle, (uint)domains.IndexOf(p) })]);
            node.SetProperty("power-domain-names", DtValues.StringList([.. pds]));
            node.SetCells("memory-region", regionHandle);
            node.SetCells("qcom,smem-states", stopHandles[dsp.Index], 0);
            node.SetString("qcom,smem-state-names", "stop");
            node.SetString("firmware-name", dsp.FirmwareName);
            if (smmu is not null) node.SetCells("iommus", smmuHandle, dsp.Hardware.StreamId, dsp.Hardware.StreamMask);
            node.SetString("status", "okay");
        }
    }

    /// <summary>
    /// The apps SMMU as the board names it (its compatible list, e.g. "qcom,sa8775p-smmu-500", "qcom,smmu-500",
    /// "arm,mmu-500"), its registers in a no-map page range of guest RAM, one global and one context SPI per
    /// context bank (arm-smmu refuses fewer context interrupts than banks), two iommu cells (stream, mask).
    /// </summary>
    private static uint AddSmmu(DtNode root, DtNode reserved, DtTree board, GuestSmmuWindow smmu, int firstSpi, Func<DtNode, uint> phandle)
    {
        var range = smmu.Range;
        var region = reserved.AddChild($"qtz-apps-smmu@{range.Base.Value:x}");
        region.SetCells("reg", Hi(range.Base.Value), Lo(range.Base.Value), Hi(range.Size), Lo(range.Size));
        region.SetProperty("no-map", DtValues.Empty());
        var boardSmmu = BoardPas.AppsSmmu(board)!;
        var node = root.AddChild($"iommu@{range.Base.Value:x}");
        node.SetProperty("compatible", DtValues.StringList([.. boardSmmu.GetStringList("compatible")]));
        node.SetCells("reg", Hi(range.Base.Value), Lo(range.Base.Value), Hi(range.Size), Lo(range.Size));
        node.SetCells("#iommu-cells", 2);
        node.SetCells("#global-interrupts", 1);
        var spis = Enumerable.Range(firstSpi, 1 + smmu.ContextBanks).ToArray();
        if (spis[^1] > GuestSpis.Last) throw new LinuxRemoteprocException($"the guest's GIC has no room for the SMMU's {spis.Length} SPIs above {firstSpi - 1}");
        node.SetCells("interrupts", [.. spis.SelectMany(s => new[] { GicSpi, (uint)s, IrqTypeLevelHigh })]);
        return phandle(node);
    }

    private static uint Hi(ulong v) => (uint)(v >> 32);

    private static uint Lo(ulong v) => (uint)v;
}

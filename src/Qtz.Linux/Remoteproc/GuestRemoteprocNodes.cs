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
    private const uint GicSpi = 0;

    public static void Add(DtTree tree, DtTree board, IReadOnlyList<GuestDsp> dsps)
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
            node.SetString("status", "okay");
        }
    }

    private static uint Hi(ulong v) => (uint)(v >> 32);

    private static uint Lo(ulong v) => (uint)v;
}

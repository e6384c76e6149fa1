using Qtz.DeviceTree;
using Qtz.Soc;
using Qtz.DeviceTree.Model;
using Qtz.Soc.Addressing;

namespace Qtz.Linux.Guest;

/// <summary>
/// The guest's device tree: QEMU virt's own (<c>dumpdtb</c> with the run's machine options) plus what
/// qtz's firmware provides — /chosen (bootargs, initrd), a PSCI node with the SMC conduit (QEMU adds
/// none with secure=on: firmware is expected to), /reserved-memory (the mailbox page and the firmware
/// carveout, no-map, so Linux never touches them) and /firmware/scm ("qcom,scm", which makes the
/// real qcom_scm probe) — then each extension's nodes.
/// </summary>
public static class GuestDeviceTree
{
    public static DtTree Build(ReadOnlySpan<byte> qemuDtb, string bootargs, PhysRange initrd, GuestWorld world, IEnumerable<ILinuxGuestExtension> extensions)
    {
        ArgumentNullException.ThrowIfNull(bootargs);
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(extensions);
        var tree = DtTree.Parse(qemuDtb);
        var root = tree.Root;
        var chosen = root.GetOrAddChild("chosen");
        chosen.SetString("bootargs", bootargs);
        chosen.SetProperty("linux,initrd-start", DtValues.U64(initrd.Base.Value));
        chosen.SetProperty("linux,initrd-end", DtValues.U64(initrd.Base.Value + initrd.Size));

        var psci = root.GetOrAddChild("psci");
        psci.SetProperty("compatible", DtValues.StringList("arm,psci-1.0", "arm,psci-0.2"));
        psci.SetString("method", "smc");

        var reserved = root.GetOrAddChild("reserved-memory");
        reserved.SetCells("#address-cells", 2);
        reserved.SetCells("#size-cells", 2);
        reserved.SetProperty("ranges", DtValues.Empty());
        Reserve(reserved, "qtz-mailbox", GuestMemoryMap.Mailbox);
        Reserve(reserved, "qtz-fw", GuestMemoryMap.FirmwareCarveout);

        var scm = root.GetOrAddChild("firmware").GetOrAddChild("scm");
        scm.SetString("compatible", "qcom,scm");

        foreach (var extension in extensions) extension.AddDeviceTreeNodes(world, tree);
        return tree;
    }

    /// <summary>A no-map reserved-memory child for <paramref name="range"/> (#address-cells = #size-cells = 2).</summary>
    public static DtNode Reserve(DtNode reservedMemory, string name, PhysRange range)
    {
        ArgumentNullException.ThrowIfNull(reservedMemory);
        var node = reservedMemory.GetOrAddChild($"{name}@{range.Base.Value:x}");
        node.SetCells("reg", (uint)(range.Base.Value >> 32), (uint)range.Base.Value, (uint)(range.Size >> 32), (uint)range.Size);
        node.SetProperty("no-map", DtValues.Empty());
        return node;
    }
}

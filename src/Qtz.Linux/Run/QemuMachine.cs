using System.Globalization;
using Qtz.Linux.Guest;
using Qtz.Secure.Hypervisor;

namespace Qtz.Linux.Run;

/// <summary>Where Linux runs: at EL1 under qtz's QHEE model, or at EL2 as the KVM host.</summary>
public enum GuestMode
{
    Qhee,
    Kvm,
}

/// <summary>
/// The QEMU command line of a run: virt with the secure world on (our monitor is the -bios), one
/// cortex-a57, the RAM of GuestMemoryMap from the shared file, serial0 = console on stdio, serial1 = the secure
/// PL011 = the doorbell socket, no NIC (QEMU would want efi-virtio.rom), no reboot (a panic ends the
/// run), semihosting (PSCI SYSTEM_OFF ends QEMU). Kernel, DTB and initrd go in with loader devices at
/// the addresses the monitor jumps to (<see cref="GuestMemoryMap"/>).
/// </summary>
public static class QemuMachine
{
    public const string Cpu = "cortex-a57";

    /// <summary>The exception level the monitor enters the kernel at: EL1 under QHEE, EL2 for KVM.</summary>
    public static int EntryEl(GuestMode mode) => mode == GuestMode.Kvm ? 2 : 1;

    public static string MachineOptions => "virt,secure=on,virtualization=on";

    public static IReadOnlyList<string> DumpDtbArguments(string monitor, string output) =>
    [
        "-M", $"{MachineOptions},dumpdtb={output}", "-cpu", Cpu, "-smp", "1", "-m", GuestMemoryMap.QemuRamSize,
        "-display", "none", "-nic", "none", "-bios", monitor,
    ];

    public static IReadOnlyList<string> RunArguments(string monitor, string ramFile, string socket, string kernel, string dtb, string initrd) =>
    [
        "-M", $"{MachineOptions},memory-backend=mem", "-cpu", Cpu, "-smp", "1", "-m", GuestMemoryMap.QemuRamSize,
        "-object", $"memory-backend-file,id=mem,size={GuestMemoryMap.QemuRamSize},mem-path={ramFile},share=on",
        "-display", "none", "-monitor", "none", "-serial", "stdio",
        "-chardev", $"socket,id=db,path={socket}", "-serial", "chardev:db",
        "-nic", "none", "-no-reboot", "-semihosting-config", "enable=on,target=native",
        "-bios", monitor,
        "-device", Loader(kernel, GuestMemoryMap.Kernel.Value),
        "-device", Loader(dtb, GuestMemoryMap.Dtb.Value),
        "-device", Loader(initrd, GuestMemoryMap.Initrd.Value),
    ];

    private static string Loader(string file, ulong address) =>
        string.Create(CultureInfo.InvariantCulture, $"loader,file={file},addr=0x{address:x},force-raw=on");
}
